// The @platformatic/kafka adapter (Node 22.22+/24.6+) of client-api.ts. Importing this folder loads no library code:
// each client loads @platformatic/kafka on its first connect() (load.ts).

export { PlatformaticAdmin } from './admin.js';
export { createPlatformaticClient } from './client.js';
export { PlatformaticConsumer } from './consumer.js';
export { loadPlatformatic, type PlatformaticKafka } from './load.js';
export { PlatformaticProducer } from './producer.js';
