import { describe, expect, it } from 'vitest';
import { chooseCluster } from '../../../harness/cli/cluster-choice.js';
import type { BrokerArgs } from '../../../harness/cli/options.js';
import { namedCluster, effectiveProvider } from '../../../harness/cli/provider-choice.js';
import type { UpState } from '../../../harness/cli/state.js';
import { ConfigError } from '../../../harness/errors.js';

// Issue #21: `run --bootstrap-servers X` started a throwaway broker and passed without touching X. The cluster
// named is the cluster tested, for every command that needs a broker; named with a provider that starts its own
// broker, it is refused. No process is started here: the choice is plain data.
const noEnv: NodeJS.ProcessEnv = {};
const args = (over: Partial<BrokerArgs> = {}): BrokerArgs => ({ kafka: 'auto', brokers: 1, ...over });
const up: UpState = {
  pid: 4242,
  kind: 'native',
  bootstrapServers: ['127.0.0.1:19092'],
  brokerCount: 1,
  logFiles: [],
  topics: {},
  configSource: null,
  startedAt: '2026-01-01T00:00:00Z',
};

describe('which cluster a command plays on', () => {
  it('--bootstrap-servers means the external provider on those servers, and the first line says so', () => {
    const choice = chooseCluster(args({ bootstrapServers: ['127.0.0.1:19701'] }), up, noEnv, []);
    expect(choice.options).toMatchObject({ kafka: 'external', bootstrapServers: ['127.0.0.1:19701'] });
    expect(choice.up).toBeUndefined(); // a named cluster wins over `up`'s
    expect(choice.line).toBe('Cluster: 127.0.0.1:19701 (named by --bootstrap-servers; nothing is started)');
  });

  it('GAMELAN_KAFKA_BOOTSTRAP_SERVERS names it as well; the flag wins over the variable', () => {
    const env = { GAMELAN_KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:19702' };
    expect(chooseCluster(args(), up, env, [])).toMatchObject({
      options: { kafka: 'external', bootstrapServers: ['127.0.0.1:19702'] },
      line: expect.stringContaining('named by GAMELAN_KAFKA_BOOTSTRAP_SERVERS'),
    });
    expect(namedCluster({ bootstrapServers: ['127.0.0.1:1'] }, env)).toEqual({
      servers: ['127.0.0.1:1'],
      source: '--bootstrap-servers',
    });
  });

  it('with nothing named and --kafka auto, the harness of `up` when one runs, in the words `run` always used', () => {
    const choice = chooseCluster(args(), up, noEnv, []);
    expect(choice.options).toMatchObject({ kafka: 'external', bootstrapServers: ['127.0.0.1:19092'] });
    expect(choice.up).toBe(up);
    expect(choice.line).toBe('Using the harness from `up` (pid 4242) at 127.0.0.1:19092');
  });

  it('an explicit provider that starts a broker is not replaced by `up`; nothing running: a broker the command starts', () => {
    expect(chooseCluster(args({ kafka: 'native' }), up, noEnv, ['--kafka', 'native'])).toMatchObject({
      options: { kafka: 'native' },
      up: undefined,
      line: expect.stringMatching(/a new native broker this command starts/),
    });
    expect(chooseCluster(args(), undefined, noEnv, []).line).toMatch(
      /^Cluster: a new broker this command starts \(--kafka auto\)/,
    );
  });

  it('--kafka external without servers keeps what --config names', () => {
    expect(chooseCluster(args({ kafka: 'external' }), up, noEnv, ['--kafka', 'external'])).toMatchObject({
      options: { kafka: 'external' },
      up: undefined,
    });
  });
});

describe('a named cluster with a provider that starts a broker', () => {
  it.each(['native', 'container', 'compose'] as const)(
    '--kafka %s with --bootstrap-servers is CONFIG_INVALID_VALUE naming both and the fix',
    (kind) => {
      const resolve = () =>
        effectiveProvider(args({ kafka: kind, bootstrapServers: ['127.0.0.1:19701'] }), noEnv, ['--kafka', kind]);
      expect(resolve).toThrow(ConfigError);
      expect(resolve).toThrow(
        `--kafka ${kind} starts a broker of its own, but --bootstrap-servers 127.0.0.1:19701 names a running cluster: one of them would be ignored. ` +
          `To test that cluster, drop --kafka ${kind} (or use --kafka external); to start a ${kind} broker, drop --bootstrap-servers.`,
      );
    },
  );

  it('names the variables when both came from the environment', () => {
    const env = { GAMELAN_KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:19702' };
    expect(() => effectiveProvider(args({ kafka: 'native' }), env, [])).toThrow(
      /^GAMELAN_KAFKA_PROVIDER=native starts a broker of its own, but GAMELAN_KAFKA_BOOTSTRAP_SERVERS 127\.0\.0\.1:19702/,
    );
  });

  it('auto and external accept it', () => {
    expect(effectiveProvider(args({ kafka: 'external', bootstrapServers: ['h:1'] }), noEnv, []).kind).toBe('external');
    expect(effectiveProvider(args({ bootstrapServers: ['h:1'] }), noEnv, []).kind).toBe('external');
  });
});
