import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Bad security input is refused before anything starts (exit 2), naming the option or file and what
// is allowed; no broker is needed (nothing is reached).
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'gamelan-security-args-'));

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
      cwd: root,
      env: {
        ...process.env,
        NO_COLOR: '1',
        GAMELAN_KAFKA_PROVIDER: undefined,
        GAMELAN_KAFKA_BOOTSTRAP_SERVERS: undefined,
        KAFKA_BOOTSTRAP_SERVERS: undefined,
      },
    });
    return { code: 0, stderr };
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    return { code: e.code ?? -1, stderr: e.stderr ?? '' };
  }
}

describe('security options: bad input exits 2 before anything starts', () => {
  it('an unknown --security mode lists the allowed ones', async () => {
    const r = await cli(['up', '--kafka', 'native', '--security', 'ssl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/security.*"ssl".*plaintext.*sasl-scram.*tls.*sasl-ssl/s);
  });

  it('--security for an external cluster points at --command-config', async () => {
    const r = await cli(['run', '--kafka', 'external', '--bootstrap-servers', '127.0.0.1:9', '--security', 'sasl-ssl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--security sasl-ssl is for brokers the harness starts (--kafka native or container), not --kafka external; describe how to reach an external cluster with --command-config client.properties.',
    );
  });

  it('a named cluster with a provider that starts a broker is refused (exit 2), for run, load and contract alike', async () => {
    for (const command of [['run', 'replay'], ['load'], ['contract', '--executor-cmd', 'true', '--type', 't']]) {
      const r = await cli([...command, '--kafka', 'native', '--bootstrap-servers', '127.0.0.1:9']);
      expect(r.code, command[0]).toBe(2);
      expect(r.stderr).toContain(
        '--kafka native starts a broker of its own, but --bootstrap-servers 127.0.0.1:9 names a running cluster',
      );
    }
  });

  it('--command-config for a broker the harness starts points at --security', async () => {
    const r = await cli(['up', '--kafka', 'native', '--command-config', 'client.properties']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--command-config is for an external cluster (--kafka external), not --kafka native');
  });

  it('a tool given a client.properties with a bad key names the file, key, value and what is allowed', async () => {
    const file = path.join(dir, 'client.properties');
    writeFileSync(file, 'security.protocol=SASL_SSL\nsasl.mechanism=OAUTHBEARER\n');
    const r = await cli(['topics', '--bootstrap-servers', '127.0.0.1:9', '--command-config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error [CONFIG_INVALID_VALUE]: ${file}: sasl.mechanism = "OAUTHBEARER" is not allowed: use one of SCRAM-SHA-512, SCRAM-SHA-256, PLAIN.`,
    );
  });

  it('a missing client.properties is named', async () => {
    const r = await cli([
      'topics',
      '--bootstrap-servers',
      '127.0.0.1:9',
      '--command-config',
      path.join(dir, 'nope.properties'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/CONFIG_FILE_NOT_FOUND.*nope\.properties does not exist/);
  });
});
