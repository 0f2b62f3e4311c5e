import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pageAssets } from './assets.js';
import type { ReportInput, ReportLimits } from './input.js';
import { buildPageModel } from './model.js';
import { renderPage } from './page.js';
import { redactSecrets } from '../../config/secrets.js';

export { normalizeAnomalies, type AnomalySection, type ReportAnomaly } from './anomalies.js';
export {
  DEFAULT_REPORT_LIMITS,
  type ReportInput,
  type ReportLimits,
  type ReportScenarioInput,
  type ReportStepInput,
} from './input.js';
export { buildPageModel, type PageModel, type ScenarioModel } from './model.js';
export { reportInputFromContract, reportInputFromRecordDir, reportInputFromRun } from './sources.js';

/** One self-contained HTML page (no network when viewed) for a run, a contract run or a recording. */
export function renderHtmlReport(input: ReportInput, limits: Partial<ReportLimits> = {}): string {
  return renderPage(buildPageModel(input, limits), pageAssets());
}

export function writeHtmlReport(input: ReportInput, file: string, limits: Partial<ReportLimits> = {}): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, redactSecrets(renderHtmlReport(input, limits))); // a failure message may quote a client's configuration
}
