import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformaticNodeProblem } from '../../../harness/clients/client-choice.js';
import { type CliResult, jsonLines, runCli } from '../../support/cli.js';

// The tools that talk to a running cluster (produce, tail, topics, reset-offsets, lag, dlq, conformance) with
// `--client platformatic`: the option every one of them takes through cli/connection.ts, on the harness from `up`.
const problem = platformaticNodeProblem();
if (problem) console.warn(`[skip] the cluster tools with --client platformatic: ${problem}`);

const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'gamelan-tools-platformatic-')), 'up.json');
const group = 'tools-platformatic-group';
const cli = (args: string[]): Promise<CliResult> => runCli([...args, '--state-file', stateFile]);
const platformatic = (args: string[]): Promise<CliResult> => cli([...args, '--client', 'platformatic']);

describe.skipIf(problem !== undefined)('the cluster tools with --client platformatic', () => {
  beforeAll(async () => {
    const up = await cli(['up', '--detach', '--kafka', 'native']);
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toHaveProperty('bootstrapServers');
  }, 180_000);

  afterAll(async () => {
    await cli(['down']);
  });

  it('produce sends, tail reads back, topics describes', async () => {
    const sent = await platformatic(['produce', 'tasks', '--build', '--seed', '5', '--count', '3', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    const sentIds = jsonLines(sent.stdout).map((r) => (r.message as { taskId: string }).taskId);
    expect(sentIds).toHaveLength(3);

    const tailed = await platformatic(['tail', 'tasks', '--json']);
    expect(tailed.code, tailed.stderr).toBe(0);
    expect(
      jsonLines(tailed.stdout)
        .map((r) => (r.value as { taskId: string }).taskId)
        .sort(),
    ).toEqual([...sentIds].sort());

    const topics = await platformatic(['topics', '--json']);
    expect(topics.code, topics.stderr).toBe(0);
    expect((JSON.parse(topics.stdout) as { topics: { name: string }[] }).topics.map((t) => t.name)).toContain(
      'gamelan.workflow-tasks',
    );
  });

  it('reset-offsets creates a group at the start, lag counts the three tasks, dlq and conformance read', async () => {
    const reset = await platformatic([
      'reset-offsets',
      '--group',
      group,
      '--topic',
      'gamelan.workflow-tasks',
      '--to-earliest',
      '--execute',
      '--create-group',
    ]);
    expect(reset.code, reset.stderr).toBe(0);

    const lag = await platformatic(['lag', '--group', group, '--topic', 'tasks', '--json']);
    expect(lag.code, lag.stderr).toBe(0);
    expect((JSON.parse(lag.stdout) as { total: number }).total).toBe(3);

    const dlq = await platformatic(['dlq', '--json']);
    expect(dlq.code, dlq.stderr).toBe(0);
    expect(jsonLines(dlq.stdout)).toEqual([]);

    const conformance = await platformatic(['conformance', '--json']);
    expect(conformance.code, conformance.stderr).toBe(0);
    expect(JSON.parse(conformance.stdout)).toMatchObject({ verdict: 'conforms', records: 3 });
  });
});
