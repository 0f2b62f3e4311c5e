import ora, { type Ora } from 'ora';
import type { ProgressEvent } from '../brokers/types.js';

/** Spinners for long steps (jar download, broker start) on a TTY; plain lines elsewhere. */
export function progressReporter(): (event: ProgressEvent) => void {
  const spinners = new Map<string, Ora>();
  return (event) => {
    if (event.state === 'start') {
      spinners.set(event.step, ora({ text: event.message, stream: process.stderr }).start());
      return;
    }
    const spinner = spinners.get(event.step) ?? ora({ text: event.message, stream: process.stderr });
    spinners.delete(event.step);
    if (event.state === 'done') spinner.succeed(event.message);
    else spinner.fail(event.message);
  };
}

export { warn } from './warn.js';
