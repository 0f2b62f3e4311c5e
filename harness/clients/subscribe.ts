import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerSubscription } from './client-api.js';
import { causeChain } from '../errors.js';

// On a cluster of several brokers a topic just created is known to its controller and leaders first; a client
// whose metadata request reaches another broker a few milliseconds too early is told UNKNOWN_TOPIC_OR_PARTITION,
// and kafkajs' subscribe gives up on it at once (its metadata retrier retries LEADER_NOT_AVAILABLE only). Seen
// when a scenario's recorder subscribed right after provisioning on three brokers. Subscribing again shortly
// after is what a Java consumer's metadata refresh does.

/** How long a topic may stay unknown to the broker asked before subscribe fails as before. */
export const UNKNOWN_TOPIC_PATIENCE_MS = 10_000;
const PAUSE_MS = 100;

const isUnknownTopic = (error: unknown): boolean =>
  [...causeChain(error)].some((e) => e.type === 'UNKNOWN_TOPIC_OR_PARTITION');

/** consumer.subscribe, asked again while the broker says the topic does not exist (up to UNKNOWN_TOPIC_PATIENCE_MS). */
export async function subscribeWhenKnown(
  consumer: Consumer,
  subscription: ConsumerSubscription,
  patienceMs = UNKNOWN_TOPIC_PATIENCE_MS,
): Promise<void> {
  const deadline = Date.now() + patienceMs;
  for (;;) {
    try {
      await consumer.subscribe(subscription);
      return;
    } catch (error) {
      if (!isUnknownTopic(error) || Date.now() + PAUSE_MS > deadline) throw error;
      await sleep(PAUSE_MS);
    }
  }
}
