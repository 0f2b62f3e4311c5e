import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunSummary } from '../scenario/result.js';
import { redactSecrets } from '../config/secrets.js';

/** The machine-readable run summary for CI. */
export function writeJsonReport(summary: RunSummary, file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, redactSecrets(`${JSON.stringify(summary, null, 2)}\n`)); // a failure message may quote a client's configuration
}
