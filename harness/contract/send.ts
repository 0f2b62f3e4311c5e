import type { KafkaClient } from '../clients/client-api.js';
import { JavaCompatiblePartitioner } from '../clients/index.js';
import { createTraceparent } from '../protocol/index.js';
import { protocolHeaders } from '../protocol/serdes.js';
import type { ContractCase } from './cases.js';

/**
 * Produce the cases on the tasks topic as the engine would: the task JSON as written (upstream names kept),
 * keyed by runId, Java-compatible partitioning, the protocol headers. Poison records go first on the same
 * key (so the same partition) as the task after them; redelivered tasks are sent `copies` times.
 */
export async function sendCases(kafka: KafkaClient, topic: string, cases: readonly ContractCase[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: JavaCompatiblePartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const task = (c: ContractCase) => ({
      key: c.task.runId,
      value: JSON.stringify(c.wire),
      headers: protocolHeaders('TaskMessage', createTraceparent()),
    });
    for (const c of cases) {
      const messages = [];
      if (c.kind === 'poison') {
        for (const p of c.poison) messages.push({ key: c.task.runId, value: p.value, headers: { 'content-type': 'application/json' } });
      }
      const copies = c.kind === 'redelivery' ? c.copies : 1;
      for (let i = 0; i < copies; i++) messages.push(task(c));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}
