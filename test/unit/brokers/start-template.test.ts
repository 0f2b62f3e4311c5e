import { describe, expect, it } from 'vitest';
import {
  type LaunchedResource,
  startFromTemplate,
  type StartTemplate,
} from '../../../harness/brokers/start-template.js';
import type { ProgressEvent } from '../../../harness/brokers/types.js';
import { BrokerError, ConfigError } from '../../../harness/errors.js';
import { pendingCleanups } from '../../../harness/lifecycle/index.js';

// The start template without a broker: every path that ends before the cluster answers.

function recorder() {
  const calls: string[] = [];
  const resource = (name: string): LaunchedResource => ({
    stop: ({ failedStart }) => {
      calls.push(`stop ${name}${failedStart ? ' (failed start)' : ''}`);
    },
    killSync: () => {
      calls.push(`kill ${name}`);
    },
  });
  return { calls, resource };
}

function template(
  launch: StartTemplate<'native', object>['launch'],
  extra: Partial<StartTemplate<'native', object>> = {},
): StartTemplate<'native', object> {
  return {
    kind: 'native',
    name: `test cluster ${Math.random().toString(36).slice(2)}`,
    options: {},
    env: {},
    readyTimeoutMs: 2_000,
    launch,
    ...extra,
  };
}

describe('startFromTemplate', () => {
  it('refuses a broker count outside 1..MAX_BROKERS before launching anything', async () => {
    let launched = false;
    const start = startFromTemplate(
      template(async () => ((launched = true), undefined as never), { options: { brokers: 6 } }),
    );
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toMatchObject({
      message: 'brokers = 6 is not allowed: use an integer from 1 to 5 (3 for a replicated cluster).',
    });
    expect(launched).toBe(false);
  });

  it('gives the launch free loopback ports, one pair per node', async () => {
    let seen: readonly { nodeId: number; port: number; controllerPort: number }[] = [];
    await startFromTemplate(
      template(
        async ({ endpoints }) => {
          seen = endpoints;
          throw new BrokerError('BROKER_START_FAILED', 'stop here');
        },
        { options: { brokers: 3 } },
      ),
    ).catch(() => {});
    expect(seen.map((e) => e.nodeId)).toEqual([1, 2, 3]);
    expect(new Set(seen.flatMap((e) => [e.port, e.controllerPort])).size).toBe(6);
  });

  it('a launch that fails undoes what it made, newest first, once, marked as a failed start, and unregisters', async () => {
    const { calls, resource } = recorder();
    const events: ProgressEvent[] = [];
    const t = template(
      async ({ own }) => {
        own(resource('reaper'));
        own(resource('network'));
        own(resource('containers'));
        expect(pendingCleanups().some((c) => c.name === t.name)).toBe(true);
        throw new BrokerError('BROKER_START_FAILED', 'the engine went away');
      },
      { options: { onProgress: (e) => events.push(e) } },
    );
    await expect(startFromTemplate(t)).rejects.toMatchObject({
      code: 'BROKER_START_FAILED',
      message: 'the engine went away',
    });
    expect(calls).toEqual([
      'stop containers (failed start)',
      'stop network (failed start)',
      'stop reaper (failed start)',
    ]);
    expect(pendingCleanups().some((c) => c.name === t.name)).toBe(false);
    expect(events.at(-1)).toEqual({ step: 'start-broker', state: 'fail', message: 'the engine went away' });
    expect(events.some((e) => e.step === 'stop')).toBe(false);
  });

  it('registers one cleanup whose killSync kills what the launch made, newest first', async () => {
    const { calls, resource } = recorder();
    const t = template(async ({ own }) => {
      own(resource('dir'));
      own(resource('jvm'));
      pendingCleanups()
        .find((c) => c.name === t.name)!
        .killSync();
      throw new BrokerError('BROKER_START_FAILED', 'x');
    });
    await startFromTemplate(t).catch(() => {});
    expect(calls.slice(0, 2)).toEqual(['kill jvm', 'kill dir']);
  });

  it("keeps harness errors, and turns others into the provider's own with wrapError", async () => {
    const wrap = (error: unknown) => new BrokerError('BROKER_START_FAILED', `wrapped: ${(error as Error).message}`);
    await expect(
      startFromTemplate(template(async () => Promise.reject(new Error('socket hang up')), { wrapError: wrap })),
    ).rejects.toMatchObject({
      code: 'BROKER_START_FAILED',
      message: 'wrapped: socket hang up',
    });
    await expect(
      startFromTemplate(
        template(async () => Promise.reject(new ConfigError('CONFIG_INVALID_VALUE', 'bad')), { wrapError: wrap }),
      ),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID_VALUE',
    });
    await expect(startFromTemplate(template(async () => Promise.reject(new Error('as is'))))).rejects.toThrow(
      /^as is$/,
    );
  });

  it('a node that dies while waiting for readiness ends the wait at once with its error, and everything is undone', async () => {
    const { calls, resource } = recorder();
    const died = new BrokerError('BROKER_START_FAILED', 'node 1 exited during start (exit code 1)');
    const start = startFromTemplate(
      template(async ({ own }) => {
        own(resource('jvm'));
        return {
          bootstrapServers: ['127.0.0.1:1'], // nothing answers there
          logFiles: [],
          hint: '',
          failed: () => Promise.reject(died),
          ready: () => ({}),
        };
      }),
    );
    await expect(start).rejects.toBe(died); // not the readiness timeout
    expect(calls).toEqual(['stop jvm (failed start)']);
  });

  it('a readiness timeout goes through explainNotReady', async () => {
    const start = startFromTemplate(
      template(
        async () => ({
          bootstrapServers: ['127.0.0.1:1'],
          logFiles: [],
          hint: 'see the log',
          explainNotReady: (error) => new BrokerError('BROKER_NOT_READY', `${error.message}\n--- last lines ---\nboom`),
          ready: () => ({}),
        }),
        { readyTimeoutMs: 200 },
      ),
    );
    await expect(start).rejects.toMatchObject({
      code: 'BROKER_NOT_READY',
      message: expect.stringMatching(/not ready within 200 ms[\s\S]*see the log[\s\S]*--- last lines ---\nboom$/),
    });
  });

  it('a port taken before the broker bound it: starts once more on other ports; a pinned port is not retried', async () => {
    const taken = () =>
      new Error('bind failed', { cause: new Error('listen tcp4 127.0.0.1:40853: bind: address already in use') });
    const ports: number[][] = [];
    const messages: string[] = [];
    const start = startFromTemplate(
      template(
        async ({ endpoints }) => {
          ports.push(endpoints.map((e) => e.port));
          throw ports.length === 1 ? taken() : new BrokerError('BROKER_START_FAILED', 'second start failed too');
        },
        { options: { onProgress: (e) => messages.push(`${e.state} ${e.message}`) } },
      ),
    );
    await expect(start).rejects.toMatchObject({ message: 'second start failed too' });
    expect(ports).toHaveLength(2);
    expect(messages).toContain('start A port picked for the broker was taken meanwhile: starting again on other ports');

    let pinnedLaunches = 0;
    const pinned = startFromTemplate(
      template(
        async () => {
          pinnedLaunches++;
          throw taken();
        },
        { options: { port: 40853 } },
      ),
    );
    await expect(pinned).rejects.toThrow('bind failed');
    expect(pinnedLaunches).toBe(1);
  });
});
