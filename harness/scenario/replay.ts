import path from 'node:path';
import { scenarioLength } from './length.js';
import { BUNDLED_SCENARIOS_DIR } from './import-scenarios.js';
import { replayCommand } from './seed.js';

/** What `run` takes to play this scenario again: a bundled one's name, else its file (relative to the working directory). */
export function replayTarget(scenario: { readonly name: string; readonly file: string }): string {
  const bundled = path.dirname(path.resolve(scenario.file)) === BUNDLED_SCENARIOS_DIR;
  return bundled ? scenario.name : path.relative(process.cwd(), scenario.file) || scenario.file;
}

/**
 * The command that replays these scenarios' draws: a scenario's streams depend only on the seed and its own name,
 * so one scenario of a larger run replays alone. `--long` (the scenarios' sizes), a non-default dialect and a
 * non-default group protocol are kept.
 */
export function replayCommandFor(
  scenarios: readonly { readonly name: string; readonly file: string }[],
  seed: number,
  options: { readonly dialect?: string; readonly groupProtocol?: string; readonly env?: NodeJS.ProcessEnv } = {},
): string {
  const extra = [
    ...(scenarioLength(options.env) === 'long' ? ['--long'] : []),
    ...(options.dialect && options.dialect !== 'spec' ? [`--dialect ${options.dialect}`] : []),
    ...(options.groupProtocol && options.groupProtocol !== 'classic'
      ? [`--group-protocol ${options.groupProtocol}`]
      : []),
  ];
  return replayCommand(scenarios.map(replayTarget), seed, extra);
}
