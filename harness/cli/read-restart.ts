import { warn } from './warn.js';

/** What `tail` and `dlq` print when their consumer restarts (a lost broker, a moving group coordinator). */
export function restartWarning(topic: string): (error: Error, restartsInARow: number) => void {
  return (error, restartsInARow) =>
    warn(
      `reading ${topic}: the consumer restarts after "${error.message}" (${restartsInARow} in a row); the read goes on, no record is printed twice`,
    );
}
