import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

// The HTML report checked in a real headless Chromium: Debian's `chromium` package (`.ci/run` installs it),
// driven by playwright-core. Tests skip, saying why, where none is installed.

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
  (p): p is string => !!p,
);
export const chromiumPath = CANDIDATES.find((p) => existsSync(p));
export const noChromiumReason = chromiumPath
  ? undefined
  : `no Chromium found (looked at ${CANDIDATES.join(', ')}): install Debian's chromium package or set CHROMIUM_PATH`;

/** Where screenshots are kept as test artefacts (gitignored). */
export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, '../../reports/test-artifacts');

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath!, args: ['--no-sandbox'] });
}

/**
 * One Chromium for the enclosing describe block, and a scratch directory for its pages: launched before its tests,
 * closed and removed after them.
 */
export function useChromium(prefix: string): { readonly dir: string; browser(): Browser } {
  let browser: Browser | undefined;
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, browser: () => browser! };
}

export interface OpenedReport {
  /** Every request other than the page file itself (must stay empty: the page works offline). */
  readonly networkAttempts: string[];
  readonly consoleErrors: string[];
  readonly page: import('playwright-core').Page;
  close(): Promise<void>;
}

/** Open a report file offline: every non-file request is recorded and aborted, console errors collected. */
export async function openReport(browser: Browser, file: string): Promise<OpenedReport> {
  const context = await browser.newContext({ offline: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const networkAttempts: string[] = [];
  const consoleErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    networkAttempts.push(url);
    return route.abort();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !networkAttempts.includes(r.url())) networkAttempts.push(r.url());
  });
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await page.goto(`file://${path.resolve(file)}`);
  await page.waitForSelector('body[data-rendered="true"]', { timeout: 30_000 });
  return { networkAttempts, consoleErrors, page, close: () => context.close() };
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}
