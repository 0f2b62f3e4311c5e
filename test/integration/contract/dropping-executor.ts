// A test executor that answers every task of its type and, for a record it cannot read, does what POISON says:
// - `drop` (default): nothing; it commits past the record ("dropped without a trace");
// - `dead-letter`: writes a dead letter to the dlq topic, in turn in each format the harness reads: Spring
//   kafka_dlt-* headers, the Java DeadLetterMessage JSON, SmallRye dead-letter-* headers.
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { deadLetterRecord } from '../../../harness/protocol/dead-letter.js';
import { upstreamDialect } from '../../../harness/protocol/dialects/upstream/index.js';
import { decodeMessage, encodeRecord } from '../../../harness/protocol/index.js';

const env = (name: string): string =>
  process.env[name] ??
  (() => {
    throw new Error(`${name} is not set`);
  })();
const mode = process.env.POISON ?? 'drop';
if (mode !== 'drop' && mode !== 'dead-letter') throw new Error(`POISON=${mode}: allowed: drop, dead-letter`);
const kafka = new Kafka({
  clientId: 'dropping-executor',
  brokers: env('GAMELAN_KAFKA_BOOTSTRAP_SERVERS').split(','),
  logLevel: logLevel.NOTHING,
});
const producer = kafka.producer({ allowAutoTopicCreation: false });
const consumer = kafka.consumer({ groupId: env('GAMELAN_GROUP_ID'), allowAutoTopicCreation: false });
await producer.connect();
await consumer.connect();
await consumer.subscribe({ topics: [env('GAMELAN_TASKS_TOPIC')], fromBeginning: true });
let unreadable = 0;
await consumer.run({
  eachMessage: async ({ topic, partition, message }) => {
    let json: unknown;
    try {
      json = message.value === null ? null : JSON.parse(message.value.toString('utf8'));
    } catch {
      json = undefined;
    }
    const decoded = json === undefined || json === null ? undefined : decodeMessage('TaskMessage', json);
    if (decoded?.ok) {
      const task = decoded.message;
      if (task.targetExecutor !== env('GAMELAN_EXECUTOR_TYPE')) return;
      const { taskId, runId, nodeId, attempt, token } = task;
      const result = {
        taskId,
        runId,
        nodeId,
        attempt,
        token,
        status: 'SUCCESS' as const,
        output: { ok: true },
        executionTime: 0.001,
        executorId: 'dropping-executor-1',
        completedAt: new Date().toISOString(),
      };
      await producer.send({
        topic: env('GAMELAN_RESULTS_TOPIC'),
        acks: -1,
        messages: [encodeRecord('results', result)],
      });
      return;
    }
    console.log(
      `unreadable record at ${topic} partition ${partition} offset ${message.offset}: ${mode === 'drop' ? 'dropped' : 'dead-lettered'}`,
    );
    if (mode === 'drop') return; // committed past it with the rest of the batch, nothing written
    const failed = {
      topic,
      partition,
      offset: message.offset,
      timestamp: message.timestamp,
      key: message.key,
      value: message.value,
      headers: message.headers ?? {},
    };
    const cause = { reason: 'MESSAGE_DECODE_FAILED', errorClass: 'ProtocolError', message: 'not a TaskMessage' };
    const format = unreadable++ % 3;
    const letter =
      format === 0
        ? deadLetterRecord(failed, cause)
        : format === 1
          ? upstreamDialect.deadLetter(failed, cause)
          : {
              key: message.key,
              value: message.value,
              headers: {
                'dead-letter-topic': topic,
                'dead-letter-partition': String(partition),
                'dead-letter-offset': message.offset,
                'dead-letter-reason': cause.message,
              },
            };
    await producer.send({ topic: env('GAMELAN_DLQ_TOPIC'), acks: -1, messages: [letter] });
  },
});
console.log(`dropping executor (POISON=${mode}) joined ${env('GAMELAN_GROUP_ID')}`);
// The consumer first (it leaves its group), then the producer: a send still in flight fails only once the
// consumer is gone, so the consumer never restarts and joins again on its way out.
const stop = () =>
  void consumer
    .disconnect()
    .then(() => producer.disconnect())
    .catch(() => undefined)
    .finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
