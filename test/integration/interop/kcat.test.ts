import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import { DEFAULT_CONFIG, type GamelanKafkaConfig } from '../../../harness/config/index.js';
import { TaskConsumer, TaskProducer } from '../../../harness/clients/index.js';
import { partitionForKey, type TaskMessage } from '../../../harness/protocol/index.js';
import { openWorkspace, type Workspace } from '../../../harness/workspace/index.js';
import { buildTask } from '../../../fixtures/builders/index.js';
import { startTestBroker } from '../../support/broker.js';

// A third-party client (kcat, on librdkafka) against what the harness writes and reads: snappy
// batches, keys, partitions and protocol headers must mean the same to it.
const run = promisify(execFile);
const kcatMissing = await run('kcat', ['-V']).then(
  () => undefined,
  () => 'kcat is not installed (apt-get install kcat; .ci/run installs it)',
);
if (kcatMissing) console.warn(`[skip] kcat interop: ${kcatMissing}`);

let broker: StartedBroker;
let workspace: Workspace;
let config: GamelanKafkaConfig;

beforeAll(async () => {
  if (kcatMissing) return;
  broker = await startTestBroker();
  workspace = await openWorkspace(broker, DEFAULT_CONFIG, { name: 'kcat' });
  config = workspace.config;
});
afterAll(async () => {
  await workspace?.stop();
  await broker?.stop();
});

describe.skipIf(kcatMissing !== undefined)('kcat reads and writes the Gamelan protocol', () => {
  it('reads a snappy-compressed task from the harness: key, Java partition, headers, JSON', async () => {
    const task = buildTask({}, { seed: 11 });
    const producer = await TaskProducer.connect({ kafka: broker.kafka('kcat-test'), config });
    await producer.send(task);
    await producer.stop();
    const { stdout } = await run(
      'kcat',
      ['-C', '-b', broker.bootstrapServers.join(','), '-t', config.tasks.topic, '-o', 'beginning', '-e', '-q', '-J'],
      { timeout: 30_000 },
    );
    const [record] = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; partition: number; payload: string; headers: string[] });
    expect(record!.key).toBe(task.runId);
    expect(record!.partition).toBe(partitionForKey(task.runId, config.partitions));
    expect(JSON.parse(record!.payload)).toMatchObject({ taskId: task.taskId, runId: task.runId, token: task.token });
    expect(record!.headers).toEqual(
      expect.arrayContaining(['gamelan-message-type', 'TaskMessage', 'content-type', 'application/json']),
    );
  });

  it('the harness reads a task kcat produced (snappy, keyed), on the partition Java would pick', async () => {
    const task = buildTask({}, { seed: 12 });
    const received: { task: TaskMessage; partition: number }[] = [];
    const consumer = await TaskConsumer.start({
      kafka: broker.kafka('kcat-test'),
      config,
      groupId: workspace.groupId('g'),
      handler: (t, ctx) => void received.push({ task: t, partition: ctx.partition }),
    });
    try {
      await run(
        'sh',
        [
          '-c',
          `printf '%s' "$PAYLOAD" | kcat -P -b ${broker.bootstrapServers.join(',')} -t ${config.tasks.topic} -k ${task.runId} -z snappy -X partitioner=murmur2_random`,
        ],
        {
          env: { ...process.env, PAYLOAD: JSON.stringify(task) },
          timeout: 30_000,
        },
      );
      await expect.poll(() => received.map((r) => r.task.taskId), { timeout: 15_000 }).toContain(task.taskId);
      expect(received.find((r) => r.task.taskId === task.taskId)!.partition).toBe(
        partitionForKey(task.runId, config.partitions),
      );
    } finally {
      await consumer.stop();
    }
  });
});
