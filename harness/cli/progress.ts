import ora, { type Ora } from 'ora';
import type { ProgressEvent } from '../brokers/types.js';
import { colorsFor } from '../colors.js';

/** Spinners for long steps (jar download, broker start) on a terminal; plain lines elsewhere (logs, pipes, CI). */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): (event: ProgressEvent) => void {
  return stream.isTTY === true && process.env.TERM !== 'dumb' ? spinnerReporter(stream) : lineReporter(stream);
}

function spinnerReporter(stream: NodeJS.WriteStream): (event: ProgressEvent) => void {
  const spinners = new Map<string, Ora>();
  return (event) => {
    if (event.state === 'start') {
      spinners.set(event.step, ora({ text: event.message, stream }).start());
      return;
    }
    const spinner = spinners.get(event.step) ?? ora({ text: event.message, stream });
    spinners.delete(event.step);
    if (event.state === 'done') spinner.succeed(event.message);
    else spinner.fail(event.message);
  };
}

function lineReporter(stream: NodeJS.WriteStream): (event: ProgressEvent) => void {
  const pc = colorsFor(stream);
  const marks = { start: '-', done: pc.green('✔'), fail: pc.red('✖') };
  return (event) => {
    stream.write(`${marks[event.state]} ${event.message}\n`);
  };
}

export { warn } from './warn.js';
