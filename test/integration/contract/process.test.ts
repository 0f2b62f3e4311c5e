import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartedBroker } from '../../../harness/brokers/types.js';
import { nativeUnavailable, startTestBroker } from '../../support/broker.js';
import { contractCli, endsWithin, processesWithArgs, root } from './support.js';

// Executors that misbehave as processes: one that never joins its group, one that crashes mid-run.
// Both are reported with the executor's own output, and nothing they started outlives the command.
let broker: StartedBroker;
const noNative = await nativeUnavailable();
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-contract-process-'));

beforeAll(async () => {
  broker = await startTestBroker();
});
afterAll(async () => {
  await broker?.stop();
});

const external = () => ['--kafka', 'external', '--bootstrap-servers', broker.bootstrapServers.join(',')];

describe('an executor that never joins its consumer group', () => {
  it('fails with CONTRACT_EXECUTOR_NOT_JOINED, the group, its last output, and leaves no process', async () => {
    const sleep = 'sleep 61.234';
    const result = await contractCli([
      ...external(),
      '--executor-cmd',
      `echo "booting the executor"; ${sleep}`,
      '--type',
      'payment-processor',
      '--join-timeout',
      '3000',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error [CONTRACT_EXECUTOR_NOT_JOINED]: the executor did not join consumer group "c-payment-processor-',
    );
    expect(result.stderr).toContain('within 3000 ms');
    expect(result.stderr).toContain('| booting the executor');
    for (const pid of processesWithArgs(sleep))
      expect(await endsWithin(pid), `${sleep} (pid ${pid}) outlived the run`).toBe(true);
  }, 120_000);

  // The error was printed after `✔ Stopped`, as if the broker's stop had failed: the output follows events now.
  it.skipIf(noNative !== undefined)(
    'on a broker the command started, the error comes before `✔ Stopped`, in the order it happened',
    async () => {
      const sleep = 'sleep 61.345';
      const result = await contractCli(
        ['--kafka', 'native', '--executor-cmd', sleep, '--type', 'payment-processor', '--join-timeout', '2000'],
        {
          GAMELAN_KAFKA_PROVIDER: undefined,
          GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined,
          KAFKA_BOOTSTRAP_SERVERS: undefined,
        },
      );
      expect(result.code, result.stderr).toBe(1);
      const error = result.stderr.indexOf('error [CONTRACT_EXECUTOR_NOT_JOINED]');
      const stopped = result.stderr.indexOf('Stopped');
      expect(error, result.stderr).toBeGreaterThanOrEqual(0);
      expect(stopped, result.stderr).toBeGreaterThan(error);
      expect(result.stderr.split('error [CONTRACT_EXECUTOR_NOT_JOINED]')).toHaveLength(2); // said once
      for (const pid of processesWithArgs(sleep))
        expect(await endsWithin(pid), `${sleep} (pid ${pid}) outlived the run`).toBe(true);
    },
    180_000,
  );

  it('an executor that exits before joining fails at once with its exit code and output', async () => {
    const result = await contractCli([
      ...external(),
      '--executor-cmd',
      'echo "GAMELAN_KAFKA_BOOTSTRAP_SERVERS is $GAMELAN_KAFKA_BOOTSTRAP_SERVERS" >&2; exit 7',
      '--type',
      'payment-processor',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the executor exited with code 7 before joining consumer group');
    expect(result.stderr).toContain(`| GAMELAN_KAFKA_BOOTSTRAP_SERVERS is ${broker.bootstrapServers.join(',')}`);
    expect(result.ms).toBeLessThan(30_000);
  }, 120_000);
});

describe('an executor that crashes mid-run', () => {
  it('is reported (executor-alive, unanswered cases) with its output, exit 1, and its process group is gone', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    const crashSleep = '299.5';
    const result = await contractCli(
      [
        ...external(),
        '--executor-cmd',
        `${path.join('node_modules', '.bin', 'tsx')} test/integration/contract/crashing-executor.ts`,
        '--type',
        'payment-processor',
        '--answer-timeout',
        '20000',
        '--junit',
        path.join(dir, 'crash.xml'),
      ],
      { CRASH_PID_FILE: pidFile, CRASH_SLEEP: crashSleep },
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /executor-alive: .*\n\s+the executor exited with code 3 while the contract was running; its last output:/,
    );
    expect(result.stdout).toMatch(/\| got run-[\w-]+; crashing now/);
    // Printed once under its rule, with every case it broke.
    expect(result.stdout).toMatch(
      /answered: .*\n\s+no result for the task arrived on the results topic\n\s+\d+ cases: .*golden\/full \(task run-0001-\w+:charge-card:1\)/,
    );
    expect(readFileSync(path.join(dir, 'crash.xml'), 'utf8')).toContain('name="executor"');
    expect(existsSync(pidFile)).toBe(true);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(await endsWithin(grandchild), `grandchild ${grandchild} (sleep ${crashSleep}) outlived the run`).toBe(true);
    expect(processesWithArgs(`sleep ${crashSleep}`).filter((pid) => pid !== grandchild)).toEqual([]);
  }, 120_000);
});

describe('every exit path stops the executor', () => {
  it('SIGTERM to the contract command mid-run stops the executor process group', async () => {
    const sleep = 'sleep 63.21';
    const cli = spawn(
      path.join(root, 'node_modules/.bin/tsx'),
      [
        'harness/cli/main.ts',
        'contract',
        ...external(),
        '--executor-cmd',
        sleep,
        '--type',
        'x',
        '--join-timeout',
        '60000',
      ],
      {
        cwd: root,
        stdio: 'ignore',
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    let pids: number[] = [];
    for (let i = 0; i < 200 && pids.length === 0; i++) {
      await sleepMs(100);
      pids = processesWithArgs(sleep);
    }
    expect(pids.length, 'the executor never started').toBeGreaterThan(0);
    cli.kill('SIGTERM');
    expect(await exited).not.toBe(0);
    for (const pid of pids)
      expect(await endsWithin(pid, 15_000), `${sleep} (pid ${pid}) outlived the command`).toBe(true);
  }, 120_000);
});

describe('bad input: exit 2 before anything starts', () => {
  it.each([
    [
      'a --cases file that does not exist',
      ['--cases', '/nonexistent/cases.json'],
      'error [CONFIG_FILE_NOT_FOUND]: --cases /nonexistent/cases.json does not exist.',
    ],
    [
      'a --cases file of the wrong shape',
      ['--cases', 'CASES'],
      'must be an array of { "name": string, "task": { TaskMessage JSON } }',
    ],
    ['an executor type with spaces', ['--type', 'pay ment'], '--type "pay ment" is not an executor type'],
    ['--type twice', ['--type', 'a', '--type', 'b'], '--type is given 2 times: give it once.'],
  ])('%s', async (_name, extra, message) => {
    const file = path.join(dir, 'bad-cases.json');
    writeFileSync(file, JSON.stringify({ not: 'an array' }));
    const args = [
      '--executor-cmd',
      'true',
      ...(extra.includes('--type') ? [] : ['--type', 'payment-processor']),
      ...extra.map((a) => (a === 'CASES' ? file : a)),
    ];
    const result = await contractCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain('Starting');
  });
});
