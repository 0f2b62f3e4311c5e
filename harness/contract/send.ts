import type { KafkaClient } from '../clients/client-api.js';
import { JavaCompatiblePartitioner } from '../clients/index.js';
import { createTraceparent } from '../protocol/index.js';
import { protocolHeaders } from '../protocol/serdes.js';
import type { ContractCase } from './cases.js';

/** A record the contract put on the tasks topic, and where it landed. */
export interface SentRecord {
  /** The case it belongs to. */
  readonly case: string;
  /** `task`, or a poison record (its name in POISON_RECORDS). */
  readonly kind: 'task' | 'poison';
  /** The poison record's name (`not-json`…); the task's taskId for a task. */
  readonly name: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  /** The value as text; null for a tombstone. */
  readonly value: string | null;
}

/**
 * Produce the cases on the tasks topic as the engine would: the task JSON as written (upstream names kept),
 * keyed by runId, Java-compatible partitioning, the protocol headers. Poison records go first on the same
 * key (so the same partition) as the task after them; redelivered tasks are sent `copies` times.
 */
export async function sendCases(
  kafka: KafkaClient,
  topic: string,
  cases: readonly ContractCase[],
): Promise<SentRecord[]> {
  const sent: SentRecord[] = [];
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
      const names: { kind: SentRecord['kind']; name: string }[] = [];
      if (c.kind === 'poison') {
        for (const p of c.poison) {
          messages.push({ key: c.task.runId, value: p.value, headers: { 'content-type': 'application/json' } });
          names.push({ kind: 'poison', name: p.name });
        }
      }
      const copies = c.kind === 'redelivery' ? c.copies : 1;
      for (let i = 0; i < copies; i++) {
        messages.push(task(c));
        names.push({ kind: 'task', name: c.task.taskId });
      }
      const metadata = await producer.send({ topic, acks: -1, messages });
      // One key per case, so one partition: the batch's records follow its base offset in order.
      const landed = metadata.length === 1 ? metadata[0] : undefined;
      if (landed === undefined || landed.baseOffset === undefined) continue; // where they landed is unknown: no record of this case is judged by offset
      messages.forEach((m, i) =>
        sent.push({
          case: c.name,
          ...names[i]!,
          topic,
          partition: landed.partition,
          offset: String(BigInt(landed.baseOffset!) + BigInt(i)),
          key: m.key,
          value: m.value,
        }),
      );
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}
