import { performance } from 'node:perf_hooks';
import type { ProgressEvent } from '../brokers/types.js';

/**
 * Where the time of a start goes, from the moment the process started (performance.now() counts from
 * there): node and module loading, each progress step of the broker start, topics. `up --verbose`
 * prints it, so a slow start can be taken apart instead of guessed at.
 */
export class PhaseTimer {
  readonly #marks: { readonly at: number; readonly what: string }[] = [];
  readonly #startedAt = new Map<string, number>();

  mark(what: string): void {
    this.#marks.push({ at: performance.now(), what });
  }

  /** Records each progress step's start and end, then passes the event on. */
  track(next: (event: ProgressEvent) => void): (event: ProgressEvent) => void {
    return (event) => {
      const now = performance.now();
      if (event.state === 'start') {
        this.#startedAt.set(event.step, now);
        // A step's start is a mark too: `start-broker start` is when the broker processes are spawned.
        this.#marks.push({ at: now, what: `${event.step} start` });
      } else {
        const began = this.#startedAt.get(event.step);
        this.#marks.push({
          at: now,
          what: `${event.step} ${event.state}${began === undefined ? '' : ` (${seconds(now - began)})`}`,
        });
      }
      next(event);
    };
  }

  render(title: string): string {
    let previous = 0;
    const lines = this.#marks.map(({ at, what }) => {
      const line = `  ${seconds(at).padStart(7)}  +${seconds(at - previous).padEnd(7)} ${what}`;
      previous = at;
      return line;
    });
    return `${title} (time since the command started, then since the previous mark):\n${lines.join('\n')}\n`;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
