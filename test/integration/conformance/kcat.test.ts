import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import type { ConformanceReport } from '../../../harness/conformance/index.js';
import { startTestBroker, uniqueTopic } from '../../support/broker.js';
import { type CliResult, runCli } from '../../support/cli.js';

// `conformance`, `tail --dialect` and `dlq --dialect` against records a third-party client (kcat, on
// librdkafka) wrote: README records, records shaped like the Gamelan Java code's, and records that are neither.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const kcatMissing = await run('kcat', ['-V']).then(
  () => undefined,
  () => 'kcat is not installed (apt-get install kcat; .ci/run installs it)',
);
if (kcatMissing) console.warn(`[skip] conformance against kcat records: ${kcatMissing}`);

const TOKEN = 'tok-7f3a9c1e2b4d';
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-conformance-test-'));
const specPrefix = uniqueTopic('conf-spec');
const upPrefix = uniqueTopic('conf-up');
const specTopics = {
  tasks: `${specPrefix}.tasks`,
  results: `${specPrefix}.results`,
  events: `${specPrefix}.events`,
  status: `${specPrefix}.status`,
  dlq: `${specPrefix}.dlq`,
};
// The upstream side is named the Quarkus way, so the loader's mp.messaging keys are exercised too.
const upTopics = {
  tasks: `${upPrefix}.workflow-tasks`,
  results: `${upPrefix}.workflow-results`,
  events: `${upPrefix}.workflow-events`,
  status: `${upPrefix}.workflow-status`,
  dlq: `${upPrefix}.workflow-dlq`,
};
const specConfig = path.join(dir, 'spec.properties');
const upConfig = path.join(dir, 'upstream.properties');
writeFileSync(
  specConfig,
  Object.entries(specTopics)
    .map(([role, topic]) => `gamelan.kafka.${role}.topic=${topic}`)
    .join('\n'),
);
writeFileSync(
  upConfig,
  [
    `%dev.mp.messaging.outgoing.workflow-tasks.topic=${upTopics.tasks}`,
    `mp.messaging.incoming.workflow-results.topic=\${RESULTS_TOPIC:${upTopics.results}}`,
    `mp.messaging.outgoing.workflow-events.topic=${upTopics.events}`,
    `mp.messaging.outgoing.workflow-status.topic=${upTopics.status}`,
    `mp.messaging.incoming.workflow-dlq.topic=${upTopics.dlq}`,
  ].join('\n'),
);

let broker: StartedBroker;
let brokers: string;

async function kcat(
  topic: string,
  value: string,
  options: { key?: string; headers?: Record<string, string> } = {},
): Promise<void> {
  const args = ['-P', '-b', brokers, '-t', topic, '-X', 'partitioner=murmur2_random'];
  if (options.key !== undefined) args.push('-k', options.key);
  for (const [name, v] of Object.entries(options.headers ?? {})) args.push('-H', `${name}=${v}`);
  await run('sh', ['-c', `printf '%s' "$PAYLOAD" | kcat ${args.map((a) => `'${a}'`).join(' ')}`], {
    env: { ...process.env, PAYLOAD: value },
    timeout: 30_000,
  });
}

function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, '--bootstrap-servers', brokers]);
}

const specTask = {
  taskId: 'run-1:charge:1',
  runId: 'run-1',
  nodeId: 'charge',
  attempt: 1,
  token: TOKEN,
  context: { amount: 42 },
  targetExecutor: 'payment-processor',
  createdAt: '2024-05-01T10:15:30Z',
};
const specResult = {
  taskId: 'run-1:charge:1',
  runId: 'run-1',
  nodeId: 'charge',
  attempt: 1,
  token: TOKEN,
  status: 'SUCCESS',
  output: { tx: 'a' },
  error: null,
  executionTime: 0.25,
  executorId: 'ex-1',
  completedAt: '2024-05-01T10:15:31Z',
};
const upTask = {
  taskId: 'run-2:charge:1',
  runId: 'run-2',
  nodeId: 'charge',
  attempt: 1,
  executionToken: TOKEN,
  context: { amount: 42 },
  targetExecutor: 'payment-processor',
  scheduledAt: '2024-05-01T10:15:30Z',
};
const upResult = {
  runId: 'run-2',
  nodeId: 'charge',
  attempt: 1,
  status: 'COMPLETED',
  output: { tx: 'b' },
  error: null,
  executionToken: TOKEN,
  completedAt: '2024-05-01T10:15:31Z',
};
// As KafkaEventPublisher writes it: "system" as the tenant of every event but WorkflowStarted, eventData echoing the event.
const upEvent = {
  eventId: 'evt-1',
  runId: 'run-2',
  tenantId: 'system',
  eventType: 'NodeCompleted',
  occurredAt: '2024-05-01T10:15:31Z',
  eventData: {
    eventType: 'NodeCompleted',
    eventId: 'evt-1',
    runId: 'run-2',
    occurredAt: '2024-05-01T10:15:31Z',
    nodeId: 'charge',
    attempt: 1,
    output: { tx: 'b' },
  },
};
const upStatus = { runId: 'run-2', status: 'COMPLETED', message: 'done', timestamp: '2024-05-01T10:15:32Z' };
const javaDeadLetter = {
  originalTopic: upTopics.results,
  originalKey: 'run-9',
  originalValue: 'TaskResultMessage[runId=run-9, status=FAILURE]',
  errorMessage: 'No enum constant FAILURE',
  timestamp: '2024-05-01T10:15:33Z',
};
const neither = { runId: 'run-3', status: 'DONE' };

beforeAll(async () => {
  if (kcatMissing) return;
  broker = await startTestBroker();
  brokers = broker.bootstrapServers.join(',');
  const admin = await broker.admin();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [...Object.values(specTopics), ...Object.values(upTopics)].map((topic) => ({
      topic,
      numPartitions: 3,
      replicationFactor: 1,
    })),
  });
  await kcat(specTopics.tasks, JSON.stringify(specTask), { key: 'run-1' });
  await kcat(specTopics.results, JSON.stringify(specResult), { key: 'run-1' });
  await kcat(upTopics.tasks, JSON.stringify(upTask), { key: 'run-2' });
  await kcat(upTopics.results, JSON.stringify(upResult), { key: 'run-2' });
  await kcat(upTopics.results, JSON.stringify(neither), { key: 'run-3' });
  await kcat(upTopics.events, JSON.stringify(upEvent));
  await kcat(upTopics.status, JSON.stringify(upStatus), { key: 'run-2' });
  await kcat(upTopics.dlq, JSON.stringify(javaDeadLetter));
  await kcat(upTopics.dlq, 'not json at all', {
    key: 'run-8',
    headers: {
      'dead-letter-topic': upTopics.results,
      'dead-letter-partition': '1',
      'dead-letter-offset': '7',
      'dead-letter-reason': 'Cannot deserialize value',
    },
  });
}, 180_000);
afterAll(() => broker?.stop());

describe.skipIf(kcatMissing !== undefined)('conformance against records written by kcat', () => {
  it('README records conform to the spec dialect: exit 0, each record counted as spec', async () => {
    const result = await cli(['conformance', '--config', specConfig, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ConformanceReport;
    expect(report).toMatchObject({ dialect: 'spec', conforms: true, records: 2, nonConforming: 0 });
    expect(report.topics.find((t) => t.role === 'tasks')).toMatchObject({
      topic: specTopics.tasks,
      records: 1,
      dialects: { spec: 1, upstream: 0, neither: 0 },
      deviations: [],
    });
  });

  it('Java-shaped records against the upstream dialect: the one that is neither fails the run with an example record', async () => {
    const result = await cli(['conformance', '--config', upConfig, '--dialect', 'upstream', '--json']);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as ConformanceReport;
    expect(report).toMatchObject({ dialect: 'upstream', conforms: false, records: 7, nonConforming: 1 });
    const results = report.topics.find((t) => t.role === 'results')!;
    expect(results).toMatchObject({
      topic: upTopics.results,
      records: 2,
      conforming: 1,
      dialects: { spec: 0, upstream: 1, neither: 1 },
    });
    expect(results.deviations).toContainEqual(
      expect.objectContaining({
        rule: 'field.enum',
        field: '$.status',
        count: 1,
        example: expect.objectContaining({ key: 'run-3', value: JSON.stringify(neither) }),
      }),
    );
    expect(results.deviations).toContainEqual(
      expect.objectContaining({ rule: 'field.required', field: '$.executionToken' }),
    );
    expect(report.topics.find((t) => t.role === 'events')).toMatchObject({
      records: 1,
      dialects: { upstream: 1 },
      deviations: [],
    });
    expect(report.topics.find((t) => t.role === 'dlq')).toMatchObject({
      records: 2,
      conforming: 2,
      dialects: { upstream: 2 },
    });
  });

  it('the same records against the spec dialect: deviations by rule and field (status, token, key), readable text', async () => {
    const result = await cli(['conformance', '--config', upConfig]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/Conformance to the spec dialect/);
    expect(result.stdout).toMatch(/field\.enum \$\.status: 2 record\(s\)/);
    expect(result.stdout).toMatch(/field\.name \$\.executionToken/); // read by the spec reader, but not the README's name
    expect(result.stdout).toMatch(/field\.required \$\.taskId/);
    expect(result.stdout).toMatch(/key\.missing key: 1 record\(s\)/); // the unkeyed upstream event
    expect(result.stdout).toMatch(/e\.g\. partition \d offset \d+ key run-2: \{"runId":"run-2"/);
    expect(result.stdout).toMatch(/7 of 7 record\(s\) do not conform to the spec dialect/);
  });

  it('--since in the future reads nothing: "nothing checked", exit 1; with --allow-empty, exit 0', async () => {
    const result = await cli(['conformance', '--config', upConfig, '--since', '2999-01-01T00:00:00Z', '--json']);
    expect(result.code, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      records: 0,
      conforms: false,
      verdict: 'nothing-checked',
      since: '2999-01-01T00:00:00.000Z',
    });
    const allowed = await cli([
      'conformance',
      '--config',
      upConfig,
      '--since',
      '2999-01-01T00:00:00Z',
      '--allow-empty',
      '--json',
    ]);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ records: 0, conforms: true, verdict: 'empty-allowed' });
  });

  it('bad input exits 2 before reading: --since, --dialect, an unresolved ${VAR}', async () => {
    const since = await cli(['conformance', '--since', 'yesterday-ish']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since "yesterday-ish" is not allowed/);
    expect((await cli(['conformance', '--dialect', 'java'])).code).toBe(2);
    const unresolved = path.join(dir, 'unresolved.properties');
    writeFileSync(unresolved, 'mp.messaging.incoming.workflow-tasks.topic=${NO_SUCH_TOPIC_VAR}\n');
    const bad = await cli(['conformance', '--config', unresolved]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/CONFIG_VARIABLE_UNRESOLVED.*NO_SUCH_TOPIC_VAR/);
  });

  it('tail --dialect auto says which dialect read each record and what was mapped', async () => {
    const result = await cli(['tail', 'results', '--config', upConfig, '--dialect', 'auto', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const read = lines.find((l) => l.key === 'run-2')!;
    expect(read).toMatchObject({
      dialect: 'upstream',
      value: { status: 'SUCCESS', taskId: 'run-2:charge:1', token: TOKEN },
    });
    expect(read.mapped).toContainEqual(expect.objectContaining({ field: 'status', from: 'COMPLETED', to: 'SUCCESS' }));
    expect(lines.find((l) => l.key === 'run-3')).toMatchObject({
      dialect: 'neither',
      error: expect.stringMatching(/spec: .*\| upstream: /),
    });
  });

  it('dlq --dialect upstream reads the Java DeadLetterMessage JSON and SmallRye headers; spec reads neither', async () => {
    const result = await cli(['dlq', '--config', upConfig, '--dialect', 'upstream', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const letters = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(letters).toContainEqual(
      expect.objectContaining({
        originalTopic: upTopics.results,
        originalKey: 'run-9',
        cause: 'No enum constant FAILURE',
        dialect: 'upstream',
      }),
    );
    expect(letters).toContainEqual(
      expect.objectContaining({
        originalTopic: upTopics.results,
        originalPartition: 1,
        originalOffset: 7,
        originalKey: 'run-8',
        payload: 'not json at all',
      }),
    );
    const spec = await cli(['dlq', '--config', upConfig, '--json']);
    expect(
      spec.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.error !== undefined),
    ).toHaveLength(2);
  });
});
