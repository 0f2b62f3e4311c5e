import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { FlowRecorder } from './recorder.js';
import type { LagSample, RecordedMessage } from './types.js';
import type { GroupSnapshot } from '../topics/group-assignment.js';

/**
 * What a recorder saw, as plain data: the flow, the watched groups' membership over time and their lag.
 * The HTML report is built from this, live (run, contract) or read back from a `--record` directory.
 */
export interface Recording {
  readonly messages: readonly RecordedMessage[];
  readonly groups: readonly GroupSnapshot[];
  readonly lag: readonly LagSample[];
}

/**
 * The files of one recorded scenario in a `--record` directory (the one place the layout is decided):
 * `<name>.jsonl` the flow (one RecordedMessage per line, what `FlowRecorder.toJsonLines()` gives),
 * `<name>.groups.jsonl` one GroupSnapshot per line, `<name>.lag.jsonl` one LagSample per line.
 */
export function recordingFiles(
  dir: string,
  name: string,
): { readonly flow: string; readonly groups: string; readonly lag: string } {
  return {
    flow: path.join(dir, `${name}.jsonl`),
    groups: path.join(dir, `${name}.groups.jsonl`),
    lag: path.join(dir, `${name}.lag.jsonl`),
  };
}

/** The recorder's data now, as plain data. */
export function recordingOf(recorder: FlowRecorder): Recording {
  const groups = recorder.watchedGroups();
  return {
    messages: recorder.messages(),
    groups: groups.flatMap((g) => recorder.groupHistory(g)).sort((a, b) => a.at - b.at),
    lag: groups.flatMap((g) => recorder.lagHistory(g)).sort((a, b) => a.at - b.at),
  };
}

const jsonLines = (items: readonly unknown[]) =>
  items.map((i) => JSON.stringify(i)).join('\n') + (items.length ? '\n' : '');

/** Write a recording as `<dir>/<name>.jsonl` (+ `.groups.jsonl`, `.lag.jsonl`). */
export function writeRecording(dir: string, name: string, recording: Recording): void {
  mkdirSync(dir, { recursive: true });
  const files = recordingFiles(dir, name);
  writeFileSync(files.flow, jsonLines(recording.messages));
  writeFileSync(files.groups, jsonLines(recording.groups));
  writeFileSync(files.lag, jsonLines(recording.lag));
}

function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  const out: T[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push(JSON.parse(line) as T);
      } catch (e) {
        throw new ConfigError(
          'CONFIG_PARSE_FAILED',
          `${file}:${i + 1}: not a JSON line (${(e as Error).message}); a recording holds one JSON object per line.`,
          { file, value: line.slice(0, 200) },
        );
      }
    });
  return out;
}

/** Read one recorded scenario back; the groups and lag files are optional (older recordings have only the flow). */
export function readRecording(dir: string, name: string): Recording {
  const files = recordingFiles(dir, name);
  if (!existsSync(files.flow))
    throw new ConfigError(
      'CONFIG_FILE_NOT_FOUND',
      `${files.flow} does not exist: a recording of "${name}" is written by \`run --record ${dir}\`.`,
      { file: files.flow },
    );
  return {
    messages: readJsonLines<RecordedMessage>(files.flow),
    groups: readJsonLines<GroupSnapshot>(files.groups),
    lag: readJsonLines<LagSample>(files.lag),
  };
}
