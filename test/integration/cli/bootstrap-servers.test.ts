import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/index.js';
import { startTestBroker } from '../../support/broker.js';
import { runCli } from '../../support/cli.js';

// Issue #21: `run replay --bootstrap-servers X` and `load --bootstrap-servers X` started a throwaway native broker
// and passed without touching X. They play on the cluster named: its topics show the run.
let broker: StartedBroker;
let servers: string;
// No provider or servers from the test's own environment: the flag alone names the cluster.
const env = {
  ...process.env,
  NO_COLOR: '1',
  GAMELAN_TEST_KAFKA: undefined,
  GAMELAN_KAFKA_PROVIDER: undefined,
  GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined,
  KAFKA_BOOTSTRAP_SERVERS: undefined,
};

beforeAll(async () => {
  broker = await startTestBroker();
  servers = broker.bootstrapServers.join(',');
}, 120_000);
afterAll(() => broker?.stop());

async function topics(): Promise<Set<string>> {
  return new Set(await (await broker.admin()).listTopics());
}

// --keep: on a cluster it did not start a command removes what it created when it ends; these tests look at it after.
describe('--bootstrap-servers names the cluster played on', () => {
  it('run replay plays on that broker: its first line says so and the run topics appear on it', async () => {
    const before = await topics();
    const result = await runCli(['run', 'replay', '--bootstrap-servers', servers, '--keep'], {
      env,
      timeoutMs: 180_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n')[0]).toBe(`Cluster: ${servers} (named by --bootstrap-servers; nothing is started)`);
    expect(result.stdout).toMatch(/replay\s*│\s*PASS/);
    const added = [...(await topics())].filter((t) => !before.has(t));
    expect(added.filter((t) => t.includes('replay'))).not.toEqual([]);
  }, 200_000);

  it('load plays on that broker too', async () => {
    const before = await topics();
    const result = await runCli(
      ['load', '--tasks', '20', '--executors', '1', '--bootstrap-servers', servers, '--json', '--keep'],
      { env, timeoutMs: 180_000 },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n')[0]).toBe(`Cluster: ${servers} (named by --bootstrap-servers; nothing is started)`);
    expect([...(await topics())].filter((t) => !before.has(t))).not.toEqual([]);
  }, 200_000);
});
