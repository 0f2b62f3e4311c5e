import { execFileSync } from 'node:child_process';
import type { Admin, KafkaClient } from '../../../harness/clients/client-api.js';
import { ComposeBrokerProvider, ContainerBrokerProvider } from '../../../harness/brokers/index.js';

// Container tests run where a Docker engine answers and a Kafka image is present
// (scripts/container-setup.sh provides both on CI); elsewhere they skip and print why.

export async function containerUnavailable(): Promise<string | undefined> {
  const reason = await new ContainerBrokerProvider().unavailableReason();
  if (reason) console.warn(`[skip] container broker tests: ${reason} (run scripts/container-setup.sh)`);
  return reason;
}

export async function composeUnavailable(): Promise<string | undefined> {
  const reason = await new ComposeBrokerProvider().unavailableReason();
  if (reason) console.warn(`[skip] compose tests: ${reason} (run scripts/container-setup.sh)`);
  return reason;
}

/** `docker ps -a` ids carrying this label (key=value). */
export function containersLabelled(label: string): string[] {
  return execFileSync('docker', ['ps', '-aq', '--filter', `label=${label}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

export function networkExists(name: string): boolean {
  try {
    execFileSync('docker', ['network', 'inspect', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Polls a condition (not a sleep-and-hope): true as soon as it holds, false after timeoutMs. */
export async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return condition();
}

/** Produce `count` keyed records with acks=all, then read the topic from the beginning until `total` records came back. */
export async function roundTrip(kafka: KafkaClient, topic: string, count: number, total = count): Promise<string[]> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
  });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `${topic}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const seen: string[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(String(message.value));
        if (seen.length >= total) resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen.sort();
}

export async function topicSettings(admin: Admin, names: readonly string[]) {
  const { describeTopics } = await import('../../../harness/topics/index.js');
  return describeTopics(admin, names);
}

/** Whether, within timeoutMs, every partition of `topics` has a leader other than `deadNode`. */
export async function leadersOff(
  admin: Admin,
  topics: readonly string[],
  deadNode: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const metadata = await admin.fetchTopicMetadata({ topics: [...topics] }).catch(() => undefined);
    if (metadata?.topics.every((t) => t.partitions.every((p) => p.leader >= 0 && p.leader !== deadNode))) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
