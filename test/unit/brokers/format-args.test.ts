import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFormatArgs } from '../../../harness/brokers/native/storage.js';
import { BrokerError } from '../../../harness/errors.js';

// The broker JVM formats its own log dir from this file (ParentWatchLauncher reads one argument per line).
const dir = mkdtempSync(join(tmpdir(), 'gamelan-format-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFormatArgs', () => {
  it("writes StorageTool's format arguments one per line, readable by the owner only", () => {
    const file = writeFormatArgs(join(dir, 'a'), {
      propertiesFile: '/x/server.properties',
      clusterId: 'abc',
      scram: 'SCRAM-SHA-512=[name=u,password=p]',
    });
    expect(readFileSync(file, 'utf8').split('\n')).toEqual([
      'format',
      '-t',
      'abc',
      '-c',
      '/x/server.properties',
      '--add-scram',
      'SCRAM-SHA-512=[name=u,password=p]',
      '',
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('omits --add-scram without a SASL user', () => {
    const file = writeFormatArgs(join(dir, 'b'), { propertiesFile: '/x/server.properties', clusterId: 'abc' });
    expect(readFileSync(file, 'utf8')).toBe('format\n-t\nabc\n-c\n/x/server.properties\n');
  });

  it('refuses a value with a line break, without showing it', () => {
    const run = () =>
      writeFormatArgs(join(dir, 'c'), {
        propertiesFile: '/x/p',
        clusterId: 'abc',
        scram: 'SCRAM-SHA-512=[name=u,password=se\ncret]',
      });
    expect(run).toThrow(BrokerError);
    expect(run).toThrow(/line break/);
    expect(run).not.toThrow(/cret/);
  });
});
