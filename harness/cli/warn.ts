import { stderrColors as pc } from '../colors.js';

/** A warning on stderr (stdout stays machine-readable). Light: no spinner library behind it. */
export function warn(message: string): void {
  process.stderr.write(`${pc.yellow('warning:')} ${message}\n`);
}
