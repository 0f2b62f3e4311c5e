import { parentPort, workerData } from 'node:worker_threads';
import { createClient } from '../clients/create-client.js';
import { CompletionObserver } from './observer.js';
import type { ObserverThreadData, ObserverThreadReply, ObserverThreadRequest } from './observer-thread.js';

// The worker side of startObserverThread: a CompletionObserver with its own Kafka client, answering the
// engine's thread by messages. Reading every event of every run is the load generator's bookkeeping, not the
// engine's work: on its own thread it does not take the engine's CPU (about 15 % of it at full speed).

const port = parentPort!;
const data = workerData as ObserverThreadData;
const reply = (message: ObserverThreadReply) => port.postMessage(message);

try {
  const kafka = createClient({ clientId: data.clientId, brokers: data.bootstrapServers, security: data.security });
  const observer = await CompletionObserver.start(kafka, data.topic);
  port.on('message', (request: ObserverThreadRequest) => {
    if (request.kind === 'check') {
      observer.check(request.series, { timeoutMs: request.timeoutMs }).then(
        (result) => reply({ kind: 'checked', id: request.id, result }),
        (error: unknown) => reply({ kind: 'failed', id: request.id, message: (error as Error).message }),
      );
    } else {
      void observer.stop().finally(() => {
        reply({ kind: 'stopped' });
        port.close();
      });
    }
  });
  reply({ kind: 'ready' });
} catch (error) {
  reply({ kind: 'failed', message: (error as Error).message });
}
