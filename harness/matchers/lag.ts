import type { Admin } from '../clients/client-api.js';
import { consumerLag, totalLag } from '../topics/lag.js';
import { optionsObject } from './options-object.js';
import { eventually, fail, type MatchResult, pass, type WaitOptions } from './result.js';

export interface LagOptions extends WaitOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /** The most total lag (end − committed, summed over every partition of the topics) that passes. */
  readonly max: number;
}

/** `({ groupId, topics, max, ...options })`, checked to be an object. */
export const lagOptions = (value: unknown, form: string): LagOptions =>
  optionsObject<LagOptions>(value, form, '{ groupId, topics, max, ...options }');

/** The group's total lag (end − committed, over every partition of the topics) is at most `max`. */
export function lagAtMost(admin: Admin, options: LagOptions): Promise<MatchResult> {
  const { groupId, topics, max } = lagOptions(options, 'lagAtMost');
  return eventually(async () => {
    const lags = await consumerLag(admin, groupId, topics);
    const total = totalLag(lags);
    const table = lags
      .map((l) => `${l.topic}-${l.partition}: committed ${l.committed ?? '-'}, end ${l.end}, lag ${l.lag}`)
      .join('; ');
    return total <= max
      ? pass(`expected group ${groupId}'s lag to exceed ${max}, it is ${total} (${table})`, total, max)
      : fail(`expected group ${groupId}'s lag to be at most ${max}, it is ${total} (${table})`, total, max);
  }, options);
}
