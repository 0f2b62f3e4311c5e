import type { Admin } from '../clients/client-api.js';
import { consumerLag, totalLag } from '../topics/lag.js';
import { warnDeprecated } from './deprecation.js';
import { eventually, fail, type MatchResult, pass, type WaitOptions } from './result.js';

export interface LagOptions extends WaitOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** The most total lag (end − committed, summed over every partition of the topics) that passes. */
  readonly max: number;
}

/** Read `({ groupId, topics, max })` and the deprecated `(groupId, topics, max, options)` alike. */
export function lagOptions(args: readonly unknown[], form: string): LagOptions {
  if (typeof args[0] !== 'string') return args[0] as LagOptions;
  warnDeprecated(`${form}(groupId, topics, max, options)`, `${form}({ groupId, topics, max, ...options })`);
  const [groupId, topics, max, options] = args as [string, readonly string[], number, WaitOptions | undefined];
  return { ...options, groupId, topics, max };
}

/** The group's total lag (end − committed, over every partition of the topics) is at most `max`. */
export function lagAtMost(admin: Admin, options: LagOptions): Promise<MatchResult>;
/** @deprecated write `lagAtMost(admin, { groupId, topics, max, ...options })`. */
export function lagAtMost(admin: Admin, groupId: string, topics: readonly string[], max: number, options?: WaitOptions): Promise<MatchResult>;
export function lagAtMost(admin: Admin, ...args: unknown[]): Promise<MatchResult> {
  const options = lagOptions(args, 'lagAtMost');
  const { groupId, topics, max } = options;
  return eventually(async () => {
    const lags = await consumerLag(admin, groupId, topics);
    const total = totalLag(lags);
    const table = lags.map((l) => `${l.topic}-${l.partition}: committed ${l.committed ?? '-'}, end ${l.end}, lag ${l.lag}`).join('; ');
    return total <= max
      ? pass(`expected group ${groupId}'s lag to exceed ${max}, it is ${total} (${table})`, total, max)
      : fail(`expected group ${groupId}'s lag to be at most ${max}, it is ${total} (${table})`, total, max);
  }, options);
}
