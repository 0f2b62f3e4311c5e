import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// No test may see a Node warning that the harness causes (TimeoutNegativeWarning, ExperimentalWarning, a
// deprecation, …), on any Node we support: every Node process the run starts, test workers and the CLI children
// alike, records its warnings (record-warnings.mjs), and the run fails at its end if any was recorded. Warnings
// are still printed; nothing is hidden.

interface RecordedWarning {
  readonly pid: number;
  readonly node: string;
  readonly argv: readonly string[];
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

// It also gives the run one scratch folder: TMPDIR for every process of the run, removed at its end, so the
// mkdtemp directories of tests and CLI children do not pile up in /tmp.

export default function setup(): () => void {
  if (process.env.GAMELAN_TEST_WARNINGS_FILE) return () => {}; // another project of this run set it up and checks it
  const scratch = mkdtempSync(path.join(tmpdir(), 'gamelan-test-run-'));
  process.env.TMPDIR = scratch;
  const dir = mkdtempSync(path.join(scratch, 'warnings-'));
  const file = path.join(dir, 'warnings.jsonl');
  const recorder = path.join(import.meta.dirname, 'record-warnings.mjs');
  process.env.GAMELAN_TEST_WARNINGS_FILE = file;
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--import="${recorder}"`].filter(Boolean).join(' ');
  return () => {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // no warning was written
    }
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    const warnings = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedWarning);
    const listed = (list: readonly RecordedWarning[]) =>
      list
        .map(
          (w) =>
            `- ${w.name}: ${w.message} (Node ${w.node}, pid ${w.pid}: ${w.argv.join(' ')})\n  ${(w.stack ?? '').split('\n').slice(1, 15).join('\n  ')}`,
        )
        .join('\n');
    if (warnings.length === 0) return;
    // A throw here is printed but does not fail vitest's run: the exit code is set as well.
    process.exitCode = 1;
    throw new Error(
      `${warnings.length} Node warning(s) during the test run; the harness must avoid their causes:\n${listed(warnings)}`,
    );
  };
}
