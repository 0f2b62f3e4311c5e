import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { UpState } from '../../../harness/cli/state.js';
import { waitFor } from '../../../harness/wait.js';
import { runCli } from '../../support/cli.js';
import { containerUnavailable } from './support.js';

// `up --detach --fault-proxy --kafka container`, then `fault pause|resume|kill|restart` from other processes:
// container nodes are held by the detached `up` (its Docker client), so `fault` asks it (up-control.ts) and
// Docker shows each fault; `down` leaves no container behind.

const skip = await containerUnavailable();
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-fault-cli-container-'));
const stateFile = path.join(dir, 'up.json');
const env = {
  ...process.env,
  NO_COLOR: '1',
  GAMELAN_FAULT_PROXY: 'builtin',
  GAMELAN_TEST_KAFKA: undefined,
  GAMELAN_KAFKA_PROVIDER: undefined,
};
const cli = (args: string[]) => runCli([...args, '--state-file', stateFile], { env, timeoutMs: 180_000 });
const dockerState = (name: string) =>
  (
    JSON.parse(execFileSync('docker', ['inspect', name], { encoding: 'utf8' })) as {
      State: { Running: boolean; Paused: boolean; ExitCode: number };
    }[]
  )[0]!.State;

afterAll(async () => {
  if (existsSync(stateFile)) await cli(['down']);
});

describe.skipIf(skip)('fault from the CLI on a container cluster of up --detach --fault-proxy', () => {
  it('pauses, resumes, kills and restarts a container node through the detached up; down removes it', async () => {
    const up = await cli(['up', '--detach', '--fault-proxy', '--kafka', 'container']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(
      /proxied bootstrap servers \(every connection through the fault proxy\): 127\.0\.0\.1:\d+/,
    );
    const faults = (JSON.parse(readFileSync(stateFile, 'utf8')) as UpState).faults!;
    expect(faults.brokerFaults).toBe('docker');
    expect(faults.nodes).toEqual([]); // no host process to signal: faults are asked of up

    const pause = await cli(['fault', 'pause', '--broker', '1']);
    expect(pause.code, pause.stderr).toBe(0);
    const container = /Paused broker 1 \(container ([\w.-]+)\)/.exec(pause.stdout)?.[1];
    expect(container, pause.stdout).toBeDefined();
    expect(dockerState(container!).Paused).toBe(true);
    const resume = await cli(['fault', 'resume', '--broker', '1']);
    expect(resume.code, resume.stderr).toBe(0);
    expect(dockerState(container!).Paused).toBe(false);

    const kill = await cli(['fault', 'kill', '--broker', '1']);
    expect(kill.code, kill.stderr).toBe(0);
    expect(kill.stdout).toContain('It stays down until `gamelan-harness fault restart --broker 1`');
    expect(dockerState(container!)).toMatchObject({ Running: false, ExitCode: 137 });
    const restart = await cli(['fault', 'restart', '--broker', '1']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toMatch(
      /Restarted broker 1 on its log directory \(container [\w.-]+\); it is back in the cluster/,
    );
    expect(dockerState(container!).Running).toBe(true);

    const unknown = await cli(['fault', 'kill', '--broker', '7']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--broker 7 is not a broker of this cluster; the brokers are 1');

    const down = await cli(['down']);
    expect(down.code, down.stderr).toBe(0);
    await waitFor(
      () =>
        execFileSync('docker', ['ps', '-aq', '--filter', `name=${container}`], { encoding: 'utf8' }).trim() === ''
          ? true
          : undefined,
      {
        timeoutMs: 30_000,
        intervalMs: 200,
        description: `container ${container} to be removed by down`,
      },
    );
  }, 300_000);
});
