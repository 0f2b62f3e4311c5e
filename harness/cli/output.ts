// A closed output must never stop the cleanup. `gamelan-harness up 2>&1 | head -3`, then Ctrl-C: every
// later write fails with EPIPE; unhandled, that error becomes an uncaught exception whose report is
// written to the same closed pipe, and so on forever (100 % CPU, the broker never stopped). Here a
// failed write is dropped: the reader has gone, the harness still stops what it started and exits.

let installed = false;
let closed = false;

/** Drop output errors on stdout and stderr (EPIPE and friends) for the rest of the process. */
export function guardOutput(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', () => {
      closed = true;
    });
  }
}

/** True once a write to stdout or stderr failed (its reader went away). */
export function outputClosed(): boolean {
  return closed;
}
