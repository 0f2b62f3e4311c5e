import path from 'node:path';
import type { Argv } from 'yargs';
import type { CommandBody } from '../lazy-command.js';
import { assertOutputPath } from '../output-paths.js';

interface ReportArgs {
  dir: string;
  out?: string | undefined;
  checker: boolean;
}

export const reportCommand: CommandBody<ReportArgs> = {
  builder: (yargs: Argv) =>
    yargs
      .positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'A directory written by `run --record <dir>`',
      })
      .option('out', { type: 'string', describe: 'The HTML file to write (default: <dir>/report.html)' })
      .option('checker', {
        type: 'boolean',
        default: true,
        describe:
          'Run the history checker on each flow (a <scenario>.anomalies.json beside the flow is shown instead when present); --no-checker to skip',
      })
      .example(
        '$0 report reports/flows',
        'render reports/flows/report.html from `run --record reports/flows`',
      ) as unknown as Argv<ReportArgs>,
  handler: async (argv) => {
    const [html, { historyFindings }] = await Promise.all([
      import('../../report/html/index.js'),
      import('../../report/html/findings.js'),
    ]);
    const out = argv.out ?? path.join(argv.dir, 'report.html');
    // Checked before the recording is read: a path that cannot be written is bad input, not a failure at the end.
    assertOutputPath(argv.out === undefined ? '<dir>/report.html' : '--out', out, 'file');
    const input = html.reportInputFromRecordDir(argv.dir, argv.checker ? { findings: historyFindings } : {});
    html.writeHtmlReport(input, out);
    const records = input.scenarios.reduce((n, s) => n + (s.recording?.messages.length ?? 0), 0);
    process.stdout.write(`${out}: ${input.scenarios.length} scenarios, ${records} records\n`);
  },
};
