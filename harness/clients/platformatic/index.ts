// The @platformatic/kafka adapter (Node 22.22+/24.6+). Import it only after choosing that client: every class loads
// the library on first use (load.ts), so importing this folder's index costs nothing on its own.

export { PlatformaticAdmin, type ClusterDescription, type GroupDescription, type GroupListing, type PartitionOffsets, type TopicToCreate } from './admin.js';
export { platformaticBaseOptions, type PlatformaticConnection } from './connection.js';
export { PlatformaticConsumer, type ConsumedRecord, type GroupProtocol, type PlatformaticConsumerOptions, type RecordHandler } from './consumer.js';
export { loadPlatformatic, type PlatformaticKafka } from './load.js';
export { PlatformaticProducer, type OutgoingRecord, type PlatformaticProducerOptions, type RecordPosition } from './producer.js';
