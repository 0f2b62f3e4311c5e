import { describe, expect, it } from 'vitest';
import { byLength, LONG_CHAOS_ENV, scenarioLength } from '../../../harness/scenario/length.js';
import { runCli } from '../../support/cli.js';

describe('short and long versions of the chaos family', () => {
  it('is short unless GAMELAN_CHAOS_LONG=1', () => {
    expect(LONG_CHAOS_ENV).toBe('GAMELAN_CHAOS_LONG');
    expect(scenarioLength({})).toBe('short');
    expect(scenarioLength({ GAMELAN_CHAOS_LONG: '0' })).toBe('short');
    expect(scenarioLength({ GAMELAN_CHAOS_LONG: '1' })).toBe('long');
    expect(byLength({ short: 3, long: 12 }, {})).toBe(3);
    expect(byLength({ short: 3, long: 12 }, { GAMELAN_CHAOS_LONG: '1' })).toBe(12);
  });

  it('sizes the bundled chaos scenarios when they are imported (list shows the long crash storm; the short one is what the chaos tests play)', async () => {
    const env = { ...process.env, NO_COLOR: '1', GAMELAN_CHAOS_LONG: undefined };
    const describeCrashStorm = async (extra: NodeJS.ProcessEnv) => {
      const listed = await runCli(['list', '--all', '--json'], { env: { ...env, ...extra } });
      expect(listed.code, listed.stderr).toBe(0);
      return (JSON.parse(listed.stdout) as { name: string; description: string }[]).find(
        (s) => s.name === 'chaos-crash-storm',
      )?.description;
    };
    expect(await describeCrashStorm({ GAMELAN_CHAOS_LONG: '1' })).toMatch(/killed with kill -9 mid-task 12 times/);
  }, 120_000);
});
