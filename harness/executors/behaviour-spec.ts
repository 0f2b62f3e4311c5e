import { ConfigError } from '../errors.js';
import { behaviours, type TaskHandler } from './handler.js';

// Behaviours named on a command line or in an environment variable (child executors, `load --behaviour`):
// one parser, so the same text gets the same handler and the same error everywhere.

export const BEHAVIOUR_SPECS = ['succeed', 'slow:<ms>', 'fail-times:<n>', 'always-fail'] as const;

/** `succeed`, `slow:<ms>`, `fail-times:<n>`, `always-fail`; anything else is a ConfigError naming `source`. */
export function handlerFor(spec: string, source = 'behaviour'): TaskHandler {
  const [name, arg, ...rest] = spec.split(':');
  const number = (fallback: number) => {
    if (arg === undefined) return fallback;
    const n = Number(arg);
    if (!/^\d+$/.test(arg) || !Number.isSafeInteger(n)) invalid(spec, source, `"${arg}" is not a whole number`);
    return n;
  };
  if (rest.length > 0) invalid(spec, source, 'too many ":"');
  switch (name) {
    case 'succeed':
      if (arg !== undefined) invalid(spec, source, 'succeed takes no argument');
      return behaviours.succeed();
    case 'slow':
      return behaviours.slow(number(100));
    case 'fail-times':
      return behaviours.failTimes(number(1));
    case 'always-fail':
      if (arg !== undefined) invalid(spec, source, 'always-fail takes no argument');
      return behaviours.alwaysFail();
    default:
      return invalid(spec, source, 'unknown behaviour');
  }
}

function invalid(spec: string, source: string, why: string): never {
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${source} ${JSON.stringify(spec)} is not allowed (${why}): use ${BEHAVIOUR_SPECS.join(', ')}.`,
    { key: source, value: spec },
  );
}
