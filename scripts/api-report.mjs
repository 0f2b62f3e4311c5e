#!/usr/bin/env node
// The public surface of every package entry as API Extractor reports it, one checked-in file each under api/
// (api/root.api.md, api/protocol.api.md, …, named after the subpath), so a change to it shows in review.
//   npm run api:report            rewrite the reports from the built declarations (dist/, `npm run build` first)
//   node scripts/api-report.mjs --check   fail, naming each stale report, when one differs (nothing is written)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = path.resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** `.` → root, `./vitest/global-setup` → vitest-global-setup: the report's name. */
const reportName = (subpath) => (subpath === '.' ? 'root' : subpath.slice(2).replaceAll('/', '-'));
const entries = Object.entries(pkg.exports)
  .filter(([subpath]) => subpath !== './package.json')
  .map(([subpath, target]) => ({ subpath, name: reportName(subpath), types: path.join(root, target.types) }));

const missing = entries.filter((e) => !existsSync(e.types));
if (missing.length > 0) {
  console.error(
    `api-report: no built declarations for ${missing.map((e) => e.subpath).join(', ')} (${path.relative(root, missing[0].types)}): run \`npm run build\` first.`,
  );
  process.exit(2);
}

const temp = mkdtempSync(path.join(tmpdir(), 'gamelan-api-report-'));
const stale = [];
/** API Extractor's configuration for one entry (no config files: everything is here). */
function configOf(entry) {
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: entry.types,
      bundledPackages: [],
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['ES2023'],
            types: ['node'],
            skipLibCheck: true,
            strict: true,
          },
          files: [entry.types],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.name,
        reportFolder: path.join(root, 'api'),
        reportTempFolder: temp,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        // The report is the point here; doc-comment style and release tags are not checked.
        extractorMessageReporting: { default: { logLevel: 'none' } },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
        compilerMessageReporting: { default: { logLevel: 'warning' } },
      },
    },
    configObjectFullPath: path.join(root, 'api', `${entry.name}.json`),
    packageJsonFullPath: path.join(root, 'package.json'),
  });
}
// Our own messages below say what changed; API Extractor's per-file notices would repeat it.
const quiet = (message) => {
  if (message.messageId.startsWith('console-')) message.logLevel = 'none';
};
try {
  const configs = entries.map(configOf);
  // One TypeScript program for every entry (a program per entry took a few seconds each).
  const compilerState = CompilerState.create(configs[0], {
    additionalEntryPoints: entries.map((e) => e.types),
    typescriptCompilerFolder: path.join(root, 'node_modules/typescript'),
  });
  for (const [i, entry] of entries.entries()) {
    const result = Extractor.invoke(configs[i], {
      localBuild: !check,
      compilerState,
      typescriptCompilerFolder: path.join(root, 'node_modules/typescript'),
      messageCallback: quiet,
    });
    if (result.apiReportChanged)
      stale.push(
        `api/${entry.name}.api.md (${entry.subpath === '.' ? pkg.name : `${pkg.name}/${entry.subpath.slice(2)}`})`,
      );
    if (result.compilerErrorCount > 0)
      throw new Error(
        `api-report: ${entry.subpath}: ${result.compilerErrorCount} compiler error(s) in the built declarations (see above).`,
      );
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}

if (check && stale.length > 0) {
  console.error(
    `The public API changed; these reports are stale:\n  ${stale.join('\n  ')}\nRun \`npm run build && npm run api:report\` and commit api/ (review the diff: it is the change users see).`,
  );
  process.exit(1);
}
console.log(
  check
    ? `api-report: ${entries.length} reports current`
    : `api-report: ${entries.length} reports in api/${stale.length > 0 ? `, updated: ${stale.join(', ')}` : ', none changed'}`,
);
