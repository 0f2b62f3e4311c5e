import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import type { ConformanceReport } from '../../../harness/conformance/index.js';
import { buildTask } from '../../../fixtures/builders/index.js';
import { upstreamDialect } from '../../../harness/protocol/index.js';
import { startTestBroker } from '../../support/broker.js';
import { runCli } from '../../support/cli.js';

// Issue #21: records on the upstream topic names, checked with `--dialect spec`, used to print
// "All 0 record(s) conform" and exit 0. A check that read nothing must say so and fail.
// Its own broker, because the test relies on the dialects' default topic names.
let broker: StartedBroker;
let brokers: string;

beforeAll(async () => {
  broker = await startTestBroker();
  brokers = broker.bootstrapServers.join(',');
  const admin = await broker.admin();
  await admin.createTopics({
    waitForLeaders: true,
    topics: ['workflow-tasks', 'workflow-results'].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
  });
  const producer = broker.kafka('conformance-empty-test').producer();
  await producer.connect();
  const records = [1, 2].map((seed) => upstreamDialect.encode('tasks', buildTask({}, { seed })).record);
  await producer.send({
    topic: 'workflow-tasks',
    messages: records.map((r) => ({ key: r.key ?? null, value: r.value ?? null, headers: r.headers ?? {} })),
  });
  await producer.disconnect();
}, 120_000);
afterAll(() => broker?.stop());

describe('conformance that read nothing', () => {
  it('exits 1 with "nothing checked", the upstream topics with their counts and the command that checks them', async () => {
    const result = await runCli(['conformance', '--bootstrap-servers', brokers]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/Nothing checked: no record was read from the spec dialect's topics/);
    expect(result.stdout).toMatch(/workflow-tasks \(tasks\): 2 record\(s\)/);
    expect(result.stdout).toMatch(/workflow-results \(results\): 0 record\(s\)/);
    expect(result.stdout).toContain(
      `To check them: gamelan-harness conformance --dialect upstream --bootstrap-servers ${brokers}`,
    );
  });

  it('the suggested command checks the records it pointed at', async () => {
    const result = await runCli(['conformance', '--dialect', 'upstream', '--bootstrap-servers', brokers, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'conforms', records: 2 });
  });

  it('--allow-empty: an intentionally empty read exits 0 and says nothing was checked', async () => {
    const result = await runCli(['conformance', '--bootstrap-servers', brokers, '--allow-empty', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ConformanceReport;
    expect(report).toMatchObject({ verdict: 'empty-allowed', records: 0, conforms: true });
  });
});
