import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { ResultConsumer, TaskProducer } from '../../../harness/clients/index.js';
import { buildTask, buildTaskResult, buildWorkflowEvent } from '../../../fixtures/builders/index.js';
import { encodeMessage } from '../../../harness/protocol/index.js';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { type CliResult, jsonLines, runCli } from '../../support/cli.js';

// The everyday tools against a harness started with `up --detach`: tail, dlq, lag, reset-offsets.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const stateFile = path.join(mkdtempSync(path.join(tmpdir(), 'gamelan-tools-test-')), 'up.json');
const group = 'tools-test-engine';

function cli(args: string[]): Promise<CliResult> {
  return runCli([...args, '--state-file', stateFile]);
}
/** The CLI with text on its stdin (produce reads JSON from a pipe). */
async function cliWithInput(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await execa(
    path.join(root, 'node_modules/.bin/tsx'),
    ['harness/cli/main.ts', ...args, '--state-file', stateFile],
    {
      cwd: root,
      input,
      reject: false,
      timeout: 120_000,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  return { code: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

let kafka: Kafka;
const tasks = [buildTask({}, { seed: 1 }), buildTask({}, { seed: 2 })];

beforeAll(async () => {
  const up = await cli(['up', '--detach', '--kafka', 'native']);
  expect(up.code, up.stderr).toBe(0);
  const { bootstrapServers } = JSON.parse(readFileSync(stateFile, 'utf8')) as { bootstrapServers: string[] };
  kafka = new Kafka({ brokers: bootstrapServers, logLevel: logLevel.NOTHING });
  const producer = await TaskProducer.connect({ kafka, config: DEFAULT_CONFIG });
  for (const task of tasks) await producer.send(task);
  await producer.stop();
  // A poison result: the engine-side consumer dead-letters it and commits past it.
  const raw = kafka.producer();
  await raw.connect();
  await raw.send({ topic: DEFAULT_CONFIG.results.topic, messages: [{ key: 'run-x', value: 'not json' }] });
  await raw.disconnect();
  let rejected = 0;
  const consumer = await ResultConsumer.start({ kafka, config: DEFAULT_CONFIG, groupId: group, handler: () => {} });
  consumer.on('rejected', () => rejected++);
  const deadline = Date.now() + 20_000;
  while (rejected === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.stop();
}, 180_000);

afterAll(async () => {
  await cli(['down']);
});

describe('everyday tools', () => {
  it('tail prints decoded records with key, partition and offset', async () => {
    const result = await cli(['tail', 'tasks', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const records = jsonLines(result.stdout);
    expect(records.map((r) => (r.value as { taskId: string }).taskId).sort()).toEqual(
      tasks.map((t) => t.taskId).sort(),
    );
    for (const r of records) {
      expect(r.key).toBe((r.value as { runId: string }).runId);
      expect(typeof r.partition).toBe('number');
      expect(r.offset).toMatch(/^\d+$/);
    }
  });

  it('tail rejects a topic that is not a Gamelan topic', async () => {
    const result = await cli(['tail', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"nope" is not a Gamelan topic');
  });

  it('dlq shows the dead letter with its origin, reason and payload', async () => {
    const result = await cli(['dlq', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const [letter] = jsonLines(result.stdout);
    expect(letter).toMatchObject({
      originalTopic: 'gamelan.task-results',
      originalKey: 'run-x',
      reason: 'MESSAGE_DECODE_FAILED',
      consumerGroup: group,
      payload: 'not json',
    });
  });

  it('lag shows committed, end and lag per partition; reset-offsets moves the group back to the earliest', async () => {
    const before = JSON.parse((await cli(['lag', '--group', group, '--json'])).stdout) as {
      total: number;
      partitions: { committed: number | null; end: number }[];
    };
    expect(before.total).toBe(0);
    expect(before.partitions.some((p) => p.committed === 1 && p.end === 1)).toBe(true);
    // A dry run by default: the plan (current → new offset per partition), nothing moved.
    const plan = await cli(['reset-offsets', '--group', group, '--topic', 'gamelan.task-results', '--to-earliest']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/│ tools-test-engine │ gamelan\.task-results │ \d+ +│ 1 +│ 0 +│/);
    expect(plan.stdout).toContain('Dry run: nothing changed. Add --execute to apply.');
    expect((JSON.parse((await cli(['lag', '--group', group, '--json'])).stdout) as { total: number }).total).toBe(0);
    const reset = await cli([
      'reset-offsets',
      '--group',
      group,
      '--topic',
      'gamelan.task-results',
      '--to-earliest',
      '--execute',
      '--json',
    ]);
    expect(reset.code, reset.stderr).toBe(0);
    const applied = JSON.parse(reset.stdout) as {
      executed: boolean;
      plan: { partition: number; current: number | null; target: number }[];
    };
    expect(applied.executed).toBe(true);
    expect(applied.plan).toContainEqual({ partition: expect.any(Number), current: 1, target: 0 });
    const after = JSON.parse((await cli(['lag', '--group', group, '--json'])).stdout) as { total: number };
    expect(after.total).toBe(1);
  });

  it('reset-offsets refuses a group that has active members', async () => {
    const consumer = await ResultConsumer.start({ kafka, config: DEFAULT_CONFIG, groupId: group, handler: () => {} });
    try {
      const dryRun = await cli(['reset-offsets', '--group', group, '--topic', 'gamelan.task-results', '--to-latest']);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(dryRun.stdout).toMatch(
        /the group is (Stable|PreparingRebalance|CompletingRebalance): stop its consumers first/,
      );
      const result = await cli([
        'reset-offsets',
        '--group',
        group,
        '--topic',
        'gamelan.task-results',
        '--to-latest',
        '--execute',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('OFFSETS_RESET_REFUSED');
      expect(result.stderr).toContain('it has active members');
    } finally {
      await consumer.stop();
    }
  });

  // Issue #22: --execute on a misspelt group created that group; an unknown topic answered with kafkajs's words.
  it('reset-offsets --execute refuses a group that does not exist, lists the groups, and creates nothing', async () => {
    const result = await cli([
      'reset-offsets',
      '--group',
      'tools-test-engnie',
      '--topic',
      'gamelan.task-results',
      '--to-earliest',
      '--execute',
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('--group "tools-test-engnie" does not exist on');
    expect(result.stderr).toContain(group); // the existing groups are listed
    expect(result.stderr).toContain('--create-group');
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('tools-test-engnie');
    } finally {
      await admin.disconnect();
    }
  });

  it('reset-offsets refuses a topic that does not exist, naming it and the topics there are', async () => {
    const result = await cli(['reset-offsets', '--group', group, '--topic', 'gamelan.task-resluts', '--to-earliest']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('--topic "gamelan.task-resluts" does not exist on');
    expect(result.stderr).toContain('gamelan.task-results');
    expect(result.stderr).not.toContain('does not host this topic-partition');
  });

  it('reset-offsets refuses an unreadable date-time', async () => {
    const result = await cli([
      'reset-offsets',
      '--group',
      group,
      '--topic',
      'gamelan.task-results',
      '--to-datetime',
      'yesterday',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--to-datetime "yesterday" is not allowed');
  });
});

describe('produce, and tail filters and headers', () => {
  it('sends a valid message from --value, keyed by its run, with the protocol headers and extra ones', async () => {
    const task = buildTask({}, { seed: 11 });
    const sent = await cli([
      'produce',
      'tasks',
      '--value',
      JSON.stringify(encodeMessage('TaskMessage', task)),
      '--header',
      'x-origin=cli',
      '--json',
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    const [record] = jsonLines(sent.stdout);
    expect(record).toMatchObject({
      topic: DEFAULT_CONFIG.tasks.topic,
      key: task.runId,
      type: 'TaskMessage',
      partition: expect.any(Number),
      offset: expect.stringMatching(/^\d+$/),
    });

    const tailed = await cli(['tail', 'tasks', '--run-id', task.runId, '--headers', '--json']);
    expect(tailed.code, tailed.stderr).toBe(0);
    const records = jsonLines(tailed.stdout);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      key: task.runId,
      value: { taskId: task.taskId },
      headers: {
        'content-type': 'application/json',
        'gamelan-message-type': 'TaskMessage',
        'gamelan-schema-version': '1',
        traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/),
        'x-origin': 'cli',
      },
    });
    const text = await cli(['tail', 'tasks', '--run-id', task.runId, '--headers']);
    expect(text.stdout).toMatch(
      /\n {2}x-origin=cli {2}content-type=application\/json {2}gamelan-message-type=TaskMessage/,
    );
    expect(text.stderr).toContain('1 of');
  });

  it('builds seeded messages with --build, --count and overriding fields; tail --tenant finds them', async () => {
    const sent = await cli([
      'produce',
      'status',
      '--build',
      '--seed',
      '5',
      '--count',
      '3',
      '--value',
      '{"tenantId":"tenant-cli"}',
      '--json',
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    const records = jsonLines(sent.stdout);
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.key)).toEqual(['tenant-cli', 'tenant-cli', 'tenant-cli']); // status updates are keyed by tenant
    expect(new Set(records.map((r) => (r.message as { runId: string }).runId)).size).toBe(3); // one seed each
    const again = await cli([
      'produce',
      'status',
      '--build',
      '--seed',
      '5',
      '--value',
      '{"tenantId":"tenant-cli"}',
      '--json',
    ]);
    expect((jsonLines(again.stdout)[0]!.message as { runId: string }).runId).toBe(
      (records[0]!.message as { runId: string }).runId,
    ); // same seed, same message

    const tailed = await cli(['tail', 'status', '--tenant', 'tenant-cli', '--json']);
    expect(jsonLines(tailed.stdout)).toHaveLength(4);
    const limited = await cli(['tail', 'status', '--tenant', 'tenant-cli', '--max', '2', '--json']);
    expect(jsonLines(limited.stdout)).toHaveLength(2);
  });

  it('reads an array from --file and JSON lines from stdin; tail --type picks an event type', async () => {
    const results = [buildTaskResult({}, { seed: 21 }), buildTaskResult({ status: 'FAILURE' }, { seed: 22 })];
    const file = path.join(path.dirname(stateFile), 'results.json');
    writeFileSync(file, JSON.stringify(results.map((r) => encodeMessage('TaskResultMessage', r))));
    const fromFile = await cli(['produce', 'TaskResultMessage', '--file', file, '--json']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(jsonLines(fromFile.stdout).map((r) => r.key)).toEqual(results.map((r) => r.runId));

    const event = buildWorkflowEvent({ eventType: 'NODE_RETRY_SCHEDULED' }, { seed: 31 });
    const other = buildWorkflowEvent({ runId: event.runId, eventType: 'RUN_CREATED' }, { seed: 32 });
    const lines = [event, other].map((e) => JSON.stringify(encodeMessage('WorkflowEventMessage', e))).join('\n');
    const fromStdin = await cliWithInput(['produce', 'events'], `${lines}\n`);
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stderr).toContain('2 message(s) sent');

    const tailed = await cli(['tail', 'events', '--run-id', event.runId, '--type', 'NODE_RETRY_SCHEDULED', '--json']);
    expect(jsonLines(tailed.stdout).map((r) => (r.value as { eventType: string }).eventType)).toEqual([
      'NODE_RETRY_SCHEDULED',
    ]);
  });

  it('refuses invalid input with exit 2, naming the field, before sending anything', async () => {
    const task = encodeMessage('TaskMessage', buildTask({}, { seed: 12 }));
    const badField = await cli(['produce', 'tasks', '--value', JSON.stringify({ ...task, attempt: 'two' })]);
    expect(badField.code).toBe(2);
    expect(badField.stderr).toContain('--value: TaskMessage at $.attempt');
    const badLine = await cliWithInput(['produce', 'tasks'], `${JSON.stringify(task)}\n{"runId": \n`);
    expect(badLine.code).toBe(2);
    expect(badLine.stderr).toContain('stdin line 2 is not JSON');
    const badType = await cli(['produce', 'orders', '--value', '{}']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toContain('"orders" is not a Gamelan message');
    const badHeader = await cli(['produce', 'tasks', '--build', '--header', 'novalue']);
    expect(badHeader.code).toBe(2);
    expect(badHeader.stderr).toContain('--header "novalue" is not allowed: write name=value');
    const after = await cli(['tail', 'tasks', '--run-id', String(task.runId), '--json']);
    expect(jsonLines(after.stdout)).toEqual([]);
  });

  it('sends a dead letter keyed by its original key with the kafka_dlt headers', async () => {
    const sent = await cli(['produce', 'dlq', '--build', '--seed', '9', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    const [record] = jsonLines(sent.stdout);
    const message = record!.message as { originalKey: string; originalTopic: string };
    expect(record!.key).toBe(message.originalKey);
    const tailed = await cli(['tail', 'dlq', '--run-id', message.originalKey, '--headers', '--json']);
    const [letter] = jsonLines(tailed.stdout);
    expect(letter!.headers).toMatchObject({ 'kafka_dlt-original-topic': message.originalTopic });
  });
});
