import type { Admin } from 'kafkajs';
import { consumerLag, totalLag } from '../topics/lag.js';
import { eventually, fail, type MatchResult, pass, show, type WaitOptions } from './result.js';

/** The group's total lag (end − committed, over every partition of the topics) is at most `max`. */
export function lagAtMost(admin: Admin, groupId: string, topics: readonly string[], max: number, options: WaitOptions = {}): Promise<MatchResult> {
  return eventually(async () => {
    const lags = await consumerLag(admin, groupId, topics);
    const total = totalLag(lags);
    const table = lags.map((l) => `${l.topic}-${l.partition}: committed ${l.committed ?? '-'}, end ${l.end}, lag ${l.lag}`).join('; ');
    return total <= max
      ? pass(`expected group ${groupId}'s lag to exceed ${max}, it is ${total} (${table})`, total, max)
      : fail(`expected group ${groupId}'s lag to be at most ${max}, it is ${total} (${table})`, total, max);
  }, options);
}

