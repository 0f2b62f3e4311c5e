import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { UpState } from '../../../harness/cli/state.js';
import { findToxiproxy } from '../../../harness/faults/index.js';
import { faultProxiesUnderTest } from '../../support/fault-proxies.js';
import { waitFor } from '../../../harness/wait.js';
import { nativeUnavailable, uniqueTopic } from '../../support/broker.js';

// `up --detach --fault-proxy` and `fault …` as users run them: child processes, exit codes, output, and a
// kafkajs client bootstrapping from the proxied servers that sees each fault (and its removal).

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-fault-cli-'));
const stateFile = path.join(dir, 'up.json');

async function cli(
  args: string[],
  timeout = 120_000,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, ['harness/cli/main.ts', ...args, '--state-file', stateFile], {
      cwd: root,
      timeout,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const processState = (pid: number): string | undefined => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
  } catch {
    return undefined;
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  if (existsSync(stateFile)) await cli(['down']);
});

describe('fault: bad input exits 2 naming the input, what is allowed, or the fix; nothing is injected', () => {
  it.each([
    [['fault', 'latency'], '`fault latency` needs --ms'],
    [['fault', 'latency', '--ms', 'fast'], '--ms = "fast" is not allowed: use a whole number from 0 to 2147483647 ms'],
    [['fault', 'bandwidth', '--kbps', '-1'], '--kbps = "-1" is not allowed'],
    [['fault', 'blackhole', '--ms', '5'], '--ms does not apply to `fault blackhole`; it takes --broker, --for'],
    [['fault', 'reset', '--for', 'soon'], '--for "soon" is not allowed'],
    [['fault', 'pause'], '`fault pause` needs --broker'],
    [['fault', 'restart'], '`fault restart` needs --broker'],
    [['fault', 'restart', '--broker', '1'], 'up --detach --fault-proxy'],
    [['fault', 'latency', '--ms', '5'], 'up --detach --fault-proxy'],
    [
      ['up', '--fault-proxy', '--kafka', 'compose'],
      '--fault-proxy is for brokers the harness starts (--kafka native or container)',
    ],
  ])('%j', async (args, message) => {
    const result = await cli(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an unknown kind lists the allowed ones', async () => {
    const result = await cli(['fault', 'explode']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Choices:.*"latency".*"blackhole".*"pause"/s);
  });
});

// Once per fault proxy this machine offers: `up` gets GAMELAN_FAULT_PROXY=<kind>, and `fault` in other
// processes drives that proxy through the Toxiproxy API at the URL up.json records (for the built-in
// proxy: served by the detached harness itself).
const native = await nativeUnavailable();
if (native) console.warn(`[skip] fault CLI on a live cluster: ${native}`);
const kinds = native
  ? []
  : (await faultProxiesUnderTest('fault CLI on a live cluster')).filter((k) => !k.unavailable).map((k) => k.kind);

describe.skipIf(kinds.length === 0).each(kinds.length ? kinds : (['builtin'] as const))(
  'up --detach --fault-proxy through %s, then fault …, then down',
  (kind) => {
    // A failed try must not leave its harness up for the next kind (or the retry): stop it.
    afterEach(async () => {
      if (existsSync(stateFile)) await cli(['down']);
    });

    // One retry: a full CI run once failed one kind midway, not seen in any run before or since; a retry must pass.
    it(
      'injects and removes network and broker faults a plain client sees, and down leaves nothing',
      { timeout: 240_000, retry: 1 },
      async () => {
        const up = await cli(['up', '--detach', '--fault-proxy', '--kafka', 'native'], 120_000, {
          GAMELAN_FAULT_PROXY: kind,
        });
        expect(up.code, up.stderr).toBe(0);
        expect(up.stdout).toMatch(
          /proxied bootstrap servers \(every connection through the fault proxy\): 127\.0\.0\.1:\d+/,
        );
        expect(up.stdout).toMatch(
          {
            toxiproxy:
              /fault proxy: (toxiproxy-server|Toxiproxy at TOXIPROXY_URL), Toxiproxy API at http:\/\/127\.0\.0\.1:\d+/,
            testcontainers: /fault proxy: Toxiproxy container, Toxiproxy API at http:\/\/127\.0\.0\.1:\d+/,
            builtin: /fault proxy: built-in proxy, Toxiproxy API at http:\/\/127\.0\.0\.1:\d+/,
          }[kind],
        );
        const state = JSON.parse(readFileSync(stateFile, 'utf8')) as UpState;
        const faults = state.faults!;
        expect(faults.proxies.map((p) => p.nodeId)).toEqual([1]);
        expect(faults.nodes.map((n) => n.nodeId)).toEqual([1]);
        expect(faults.proxiedBootstrapServers).not.toEqual(state.bootstrapServers);

        // A bad broker for this cluster: exit 2, the brokers it has.
        const unknown = await cli(['fault', 'pause', '--broker', '9']);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toContain('--broker 9 is not a broker of this cluster; the brokers are 1');

        // latency --for: in force while the command waits, gone once it exits.
        const latency = cli(['fault', 'latency', '--ms', '250', '--for', '3s']);
        const listed = await waitFor(
          async () => {
            const list = await cli(['fault', 'list', '--json']);
            const toxics = (
              JSON.parse(list.stdout || '[]') as { toxics: { type: string; attributes: { latency?: number } }[] }[]
            ).flatMap((p) => p.toxics);
            return toxics.length ? toxics : undefined;
          },
          { timeoutMs: 15_000, intervalMs: 100, description: 'the latency toxic to be listed' },
        );
        expect(listed).toEqual([
          expect.objectContaining({ type: 'latency', attributes: expect.objectContaining({ latency: 250 }) }),
        ]);
        const latencyDone = await latency;
        expect(latencyDone.code, latencyDone.stderr).toBe(0);
        expect(latencyDone.stdout).toContain('Removed latency 250 ms (every broker)');
        expect((await cli(['fault', 'list'])).stdout).toContain('broker 1 via 127.0.0.1:');
        expect((await cli(['fault', 'list'])).stdout).toContain('up, no faults');

        // blackhole, then clear: a kafkajs producer on the proxied servers times out, then succeeds.
        const topic = uniqueTopic('fault-cli');
        const direct = new Kafka({
          clientId: 'fault-cli-admin',
          brokers: [...state.bootstrapServers],
          logLevel: logLevel.NOTHING,
        });
        const admin = direct.admin();
        await admin.connect();
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        await admin.disconnect();
        const proxied = new Kafka({
          clientId: 'fault-cli-client',
          brokers: [...faults.proxiedBootstrapServers],
          logLevel: logLevel.NOTHING,
          requestTimeout: 1_500,
          retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 },
        });
        const producer = proxied.producer({ allowAutoTopicCreation: false });
        await producer.connect();
        try {
          await producer.send({ topic, messages: [{ value: 'before' }] });
          const blackhole = await cli(['fault', 'blackhole']);
          expect(blackhole.code, blackhole.stderr).toBe(0);
          expect(blackhole.stdout).toContain('It stays until `gamelan-harness fault clear');
          await expect(producer.send({ topic, messages: [{ value: 'blackholed' }], timeout: 1_500 })).rejects.toThrow();
          const clear = await cli(['fault', 'clear']);
          expect(clear.code, clear.stderr).toBe(0);
          expect(clear.stdout).toMatch(/Cleared 2 faults/); // upstream and downstream
          await waitFor(
            () =>
              producer.send({ topic, messages: [{ value: 'after' }] }).then(
                () => true,
                () => undefined,
              ),
            { timeoutMs: 30_000, intervalMs: 200, description: 'a send after clear to succeed' },
          );
        } finally {
          await producer.disconnect().catch(() => undefined);
        }

        // pause / resume the broker: SIGSTOP then SIGCONT of the node up recorded.
        const node = faults.nodes[0]!.process.pid;
        const pause = await cli(['fault', 'pause', '--broker', '1']);
        expect(pause.code, pause.stderr).toBe(0);
        expect(pause.stdout).toContain(`Paused broker 1 (pid ${node}, SIGSTOP)`);
        expect(processState(node)).toBe('T');
        const resume = await cli(['fault', 'resume', '--broker', '1']);
        expect(resume.code, resume.stderr).toBe(0);
        await waitFor(() => (processState(node) !== 'T' ? true : undefined), {
          timeoutMs: 5_000,
          intervalMs: 20,
          description: 'the node to run again',
        });

        // kill -9, then restart: the detached harness, which owns the node's JVM and log directory, starts it again
        // when asked; up.json names the new process, and the records written before are still there.
        const kill = await cli(['fault', 'kill', '--broker', '1']);
        expect(kill.code, kill.stderr).toBe(0);
        expect(kill.stdout).toContain('It stays down until `gamelan-harness fault restart --broker 1`');
        // Killed; `up` reaps it a moment later (until then the pid still answers signal 0 as a zombie).
        await waitFor(() => (!alive(node) ? true : undefined), {
          timeoutMs: 10_000,
          intervalMs: 50,
          description: 'the killed node to be reaped',
        });
        const restart = await cli(['fault', 'restart', '--broker', '1']);
        expect(restart.code, restart.stderr).toBe(0);
        expect(restart.stdout).toMatch(
          /Restarted broker 1 on its log directory \(now pid \d+\); it is back in the cluster/,
        );
        const restarted = (JSON.parse(readFileSync(stateFile, 'utf8')) as UpState).faults!.nodes[0]!.process.pid;
        expect(restarted).not.toBe(node);
        expect(alive(restarted)).toBe(true);
        const afterRestart = direct.admin();
        await afterRestart.connect();
        try {
          const [offsets] = await waitFor(
            () =>
              afterRestart.fetchTopicOffsets(topic).then(
                (o) => o,
                () => undefined,
              ),
            { timeoutMs: 30_000, intervalMs: 200, description: 'the topic to answer after the restart' },
          );
          expect(Number(offsets!.high)).toBeGreaterThanOrEqual(2); // "before" and "after"
        } finally {
          await afterRestart.disconnect();
        }

        // down: the harness, its node and Toxiproxy are gone.
        const toxiproxyUrl = faults.toxiproxyUrl;
        const down = await cli(['down']);
        expect(down.code, down.stderr).toBe(0);
        expect(existsSync(stateFile)).toBe(false);
        await waitFor(() => (!alive(restarted) && !alive(state.pid) ? true : undefined), {
          timeoutMs: 10_000,
          intervalMs: 50,
          description: 'the harness and its node to exit',
        });
        // A proxy the harness started is gone with it (one at TOXIPROXY_URL is someone else's).
        if (kind !== 'toxiproxy' || findToxiproxy().kind === 'binary')
          await expect(fetch(`${toxiproxyUrl}/version`)).rejects.toThrow();
        const after = await cli(['fault', 'list']);
        expect(after.code).toBe(2);
        expect(after.stderr).toContain('up --detach --fault-proxy');
      },
    );
  },
);
