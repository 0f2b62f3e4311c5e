import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { platformaticNodeProblem } from '../../../harness/clients/client-choice.js';

// `run rebalance --group-protocol consumer --client platformatic` as users run it: the fake engine and executors (one
// of them a child process, killed with kill -9) join with Kafka 4's consumer protocol (KIP-848) on a broker the
// command starts; the recorder reads the group through the platformatic admin's ConsumerGroupDescribe. Runs on
// Node 22.22+/24.6+ (CI's Node 24 part); on an older Node it skips and says why.
const skip = platformaticNodeProblem();
if (skip) console.warn(`[skip] run rebalance --group-protocol consumer: ${skip}`);

const execFileAsync = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-group-protocol-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ScenarioJson {
  readonly name: string;
  readonly status: string;
  readonly error?: string;
  readonly measurements: Record<string, unknown>;
  readonly replay: string;
  readonly steps: readonly { readonly name: string; readonly status: string }[];
}

describe.skipIf(skip !== undefined)('run rebalance --group-protocol consumer --client platformatic', () => {
  it('passes, and the JSON report, the recording and the HTML report say the group used the consumer protocol', async () => {
    const json = path.join(dir, 'results.json');
    const record = path.join(dir, 'recording');
    const report = path.join(dir, 'report.html');
    const args = [
      'harness/cli/main.ts',
      'run',
      'rebalance',
      '--kafka',
      'native',
      '--group-protocol',
      'consumer',
      '--client',
      'platformatic',
      '--json',
      json,
      '--record',
      record,
      '--report',
      report,
    ];
    const env = {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: undefined,
      GAMELAN_KAFKA_PROVIDER: undefined,
      GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined,
      GAMELAN_KAFKA_CLIENT: undefined,
      GAMELAN_KAFKA_GROUP_PROTOCOL: undefined,
    };
    const ran = await execFileAsync(tsx, args, { cwd: root, timeout: 170_000, env }).catch(
      (error: { code?: number; stderr?: string }) => error,
    );
    expect((ran as { code?: number }).code ?? 0, (ran as { stderr?: string }).stderr).toBe(0);

    const [scenario] = (JSON.parse(readFileSync(json, 'utf8')) as { scenarios: ScenarioJson[] }).scenarios;
    expect(scenario?.status, scenario?.error).toBe('passed');
    expect(scenario?.steps.find((s) => s.name === 'the group joined with the consumer protocol')?.status).toBe(
      'passed',
    );
    expect(scenario?.measurements['group protocol']).toBe('consumer');
    expect(scenario?.replay).toContain('--group-protocol consumer');

    // The recording's membership view: the executors' group, described by ConsumerGroupDescribe, with 3 members at its peak.
    const snapshots = readFileSync(path.join(record, 'rebalance.groups.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { protocol?: string; members: unknown[] });
    const described = snapshots.filter((s) => s.protocol === 'consumer');
    expect(described.length).toBeGreaterThan(0);
    expect(snapshots.some((s) => s.protocol === 'classic')).toBe(false);
    expect(Math.max(...described.map((s) => s.members.length))).toBe(3);
    // The HTML report's membership view names the protocol of the executors' group.
    expect(readFileSync(report, 'utf8')).toContain('.gamelan-executors","protocol":"consumer"');
  }, 180_000);
});
