import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

// Issue #22: `doctor` printed "✔ KAFKA_HOME=/nonexistent"; a native start then failed. It says what is wrong now.
describe('doctor and a KAFKA_HOME that cannot serve the jars', () => {
  it('marks it ✖ with the reason and the fix, never ✔', async () => {
    const result = await runCli(['doctor'], { env: { ...process.env, NO_COLOR: '1', KAFKA_HOME: '/nonexistent' } });
    expect(result.stdout).toContain('✖ KAFKA_HOME=/nonexistent does not exist: a native start fails');
    expect(result.stdout).not.toContain('✔ KAFKA_HOME');
  }, 60_000);
});
