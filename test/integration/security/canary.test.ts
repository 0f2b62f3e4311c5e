import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessCacheDir } from '../../../harness/kafka-distribution/index.js';
import { buildExample, contractCli, javaUnavailable, root } from '../contract/support.js';

// Secure brokers end to end, as users run them, with a canary: a fixed, recognisable SASL password that
// must reach the broker and the clients (the run passes, the 0600 client.properties holds it) and must
// appear in no artefact: stdout, stderr, JSON, JUnit and HTML reports, broker logs, up.json, up's log.
//   1. `contract --kafka native --security sasl-ssl` with the Java example executor, which reads
//      KAFKA_SECURITY_PROTOCOL / KAFKA_SASL_JAAS_CONFIG / KAFKA_SSL_TRUSTSTORE_* (Quarkus names).
//   2. `up --detach --security sasl-ssl`, then tools connect through the state's client.properties,
//      a wrong password is one sentence (exit 1), and `down`.

const skip = javaUnavailable();
if (skip) console.warn(`[skip] secure contract/up tests: ${skip}`);

const CANARY = 'Canary-Gamelan-Secret-7f3a9';
const run = promisify(execFile);
const tsx = path.join(root, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-canary-'));
const logsDir = path.join(harnessCacheDir(process.env), 'logs');

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, ['harness/cli/main.ts', ...args], {
      cwd: root,
      timeout: 240_000,
      env: {
        ...process.env,
        NO_COLOR: '1',
        FORCE_COLOR: undefined,
        GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined,
        KAFKA_BOOTSTRAP_SERVERS: undefined,
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const logRuns = (): Set<string> => new Set(existsSync(logsDir) ? readdirSync(logsDir) : []);

/** Every file under the broker log runs that appeared since `before` (this test's brokers). */
function newLogFiles(before: Set<string>): string[] {
  return [...logRuns()]
    .filter((run) => !before.has(run))
    .flatMap((run) => readdirSync(path.join(logsDir, run)).map((f) => path.join(logsDir, run, f)));
}

function expectNoCanary(artefacts: Record<string, string>): void {
  for (const [name, text] of Object.entries(artefacts))
    expect(text.includes(CANARY), `${name} holds the canary password`).toBe(false);
}

describe.skipIf(skip !== undefined)('secure brokers end to end, with a canary password', () => {
  let jar: string;
  beforeAll(async () => {
    const built = await buildExample('java-executor');
    jar = built.jar;
    console.log(
      built.buildMs
        ? `built examples/java-executor in ${(built.buildMs / 1000).toFixed(1)} s`
        : 'examples/java-executor: jar cached',
    );
  }, 600_000);

  it('the Java example executor passes the contract over sasl-ssl; no artefact shows the password', async () => {
    const before = logRuns();
    const json = path.join(dir, 'contract.json');
    const junit = path.join(dir, 'contract.xml');
    const html = path.join(dir, 'contract.html');
    const result = await contractCli(
      [
        '--kafka',
        'native',
        '--security',
        'sasl-ssl',
        '--executor-cmd',
        `java -jar ${jar}`,
        '--type',
        'payment-processor',
        '--json',
        json,
        '--junit',
        junit,
        '--report',
        html,
      ],
      { GAMELAN_KAFKA_SASL_PASSWORD: CANARY },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/12 passed, 0 failed/);
    const logs = newLogFiles(before);
    expect(logs.some((f) => /broker-1\.log$/.test(f))).toBe(true); // the broker's own log is among those checked
    expect(
      readFileSync(
        logs.find((f) => /broker-1\.log$/.test(f))!,
        'utf8',
      ),
    ).toMatch(/SASL_SSL/);
    expectNoCanary({
      stdout: result.stdout,
      stderr: result.stderr,
      'JSON report': readFileSync(json, 'utf8'),
      'JUnit report': readFileSync(junit, 'utf8'),
      'HTML report': readFileSync(html, 'utf8'),
      ...Object.fromEntries(logs.map((f) => [f, readFileSync(f, 'utf8')])),
    });
  }, 400_000);

  describe('up --detach --security sasl-ssl', () => {
    const stateFile = path.join(dir, 'state', 'up.json');
    const clientProperties = path.join(dir, 'state', 'up.client.properties');
    let before: Set<string>;
    let up: Awaited<ReturnType<typeof cli>>;
    beforeAll(async () => {
      before = logRuns();
      up = await cli(['up', '--detach', '--kafka', 'native', '--security', 'sasl-ssl', '--state-file', stateFile], {
        GAMELAN_KAFKA_SASL_PASSWORD: CANARY,
      });
    }, 240_000);
    afterAll(async () => {
      await cli(['down', '--state-file', stateFile]);
    }, 60_000);

    it('records the client.properties (0600, holding the password) in up.json, which holds no password', () => {
      expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
      expect(up.stdout).toContain(
        `security: sasl-ssl (SCRAM-SHA-512 as gamelan); client properties (mode 0600): ${clientProperties}`,
      );
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { security?: { commandConfig: string } };
      expect(state.security?.commandConfig).toBe(clientProperties);
      expect(statSync(clientProperties).mode & 0o777).toBe(0o600);
      const properties = readFileSync(clientProperties, 'utf8');
      expect(properties).toContain(CANARY); // the positive control: the canary really is the broker's password
      expect(properties).toMatch(/^security\.protocol=SASL_SSL$/m);
      expect(properties).toMatch(/^ssl\.truststore\.type=PKCS12$/m);
    });

    it('tools connect through the state without being told how', async () => {
      const topics = await cli(['topics', '--state-file', stateFile]);
      expect(topics.code, topics.stderr).toBe(0);
      expect(topics.stdout).toContain('gamelan.workflow-tasks');
    });

    it('a wrong password in --command-config fails with one sentence, exit 1, and shows neither password', async () => {
      const wrong = path.join(dir, 'wrong.properties');
      writeFileSync(wrong, readFileSync(clientProperties, 'utf8').split(CANARY).join('Wrong-Password-1234'));
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { bootstrapServers: string[] };
      const result = await cli([
        'topics',
        '--bootstrap-servers',
        state.bootstrapServers.join(','),
        '--command-config',
        wrong,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toMatch(
        /^error \[BROKER_AUTH_FAILED\]: Kafka at 127\.0\.0\.1:\d+ refused the SCRAM-SHA-512 login of user "gamelan" \(wrong user name or password\): .+\.$/,
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toContain('Wrong-Password-1234');
      expectNoCanary({ stderr: result.stderr });
    }, 60_000);

    it('no artefact of up shows the password: its output, up.json, its log, the broker logs', () => {
      const logs = newLogFiles(before);
      expect(logs.length).toBeGreaterThan(0);
      expectNoCanary({
        stdout: up.stdout,
        stderr: up.stderr,
        'up.json': readFileSync(stateFile, 'utf8'),
        'up.log': readFileSync(path.join(dir, 'state', 'up.log'), 'utf8'),
        ...Object.fromEntries(logs.map((f) => [f, readFileSync(f, 'utf8')])),
      });
    });
  });
});
