import { readFileSync } from 'node:fs';
import { HarnessError } from '../errors.js';
import type { RecordedMessage } from '../recorder/types.js';

/** Records from a flow written by `run --record` (or `FlowRecorder.toJsonLines()`), for checking after the fact. */
export function historyFromJsonLines(text: string, source = 'the recorded flow'): RecordedMessage[] {
  return text
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line.length > 0)
    .map(([line, n]) => {
      try {
        const record = JSON.parse(line) as RecordedMessage;
        if (typeof record?.topic !== 'string' || typeof record.role !== 'string' || typeof record.offset !== 'string')
          throw new Error('not a recorded message (topic, role and offset are required)');
        return record;
      } catch (error) {
        throw new HarnessError('CONFIG_PARSE_FAILED', `${source}:${n}: ${(error as Error).message}`);
      }
    });
}

export function readRecordedFlow(file: string): RecordedMessage[] {
  return historyFromJsonLines(readFileSync(file, 'utf8'), file);
}
