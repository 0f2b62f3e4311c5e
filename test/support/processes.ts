import { readdirSync, readFileSync } from 'node:fs';

// Processes as the tests that check "nothing left behind" see them, from /proc (Linux).

/** The fields of /proc/<pid>/stat after the command name (state first), or undefined when the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Alive = exists and is not a zombie (an orphan's zombie may wait for a reaper that never comes). */
export function alive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z';
}

/** Every live descendant of `pid` (children, their children, …). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = statFields(Number(entry))?.[1];
    if (parent !== undefined) parentOf.set(Number(entry), Number(parent));
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, p] of parentOf) if (p === parent) (found.push(child), queue.push(child));
  }
  return found;
}

/** The process's command line, or '' when it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** A broker JVM (or the launcher that watches one). */
export const isBrokerJvm = (pid: number): boolean =>
  /(^|\/)java( |$)|kafka\.Kafka|ParentWatchLauncher/.test(commandLine(pid));
