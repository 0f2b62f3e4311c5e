import pc from 'picocolors';

// Colour per output stream: FORCE_COLOR decides when set (0 or false: none, anything else: colour), as in Node;
// otherwise only a terminal gets colour, and Node's own check of that terminal honours NO_COLOR,
// NODE_DISABLE_COLORS and TERM=dumb. picocolors alone looks at stdout for both streams, turns colour on for any
// FORCE_COLOR (even 0) and for any CI variable, so escape codes ended up in log files.

export type Colors = ReturnType<typeof pc.createColors>;

interface Stream {
  readonly isTTY?: boolean;
  hasColors?(): boolean;
}

/** Whether text written to `stream` gets colour. */
export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && stream.hasColors?.() === true;
}

export const colorsFor = (stream: Stream, env?: NodeJS.ProcessEnv): Colors =>
  pc.createColors(colorEnabled(stream, env));

/** For text written to stdout (tables, reports, records). */
export const stdoutColors = colorsFor(process.stdout);
/** For text written to stderr (progress, warnings, errors). */
export const stderrColors = colorsFor(process.stderr);
