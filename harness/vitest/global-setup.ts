import type { TestProject } from 'vitest/node';
import { type GamelanKafkaConfig, type TopicRole, topicNames } from '../config/index.js';
import { startStack } from '../stack/start-stack.js';
import { providerFromEnv } from '../config/provider-env.js';

// A vitest globalSetup: one real broker with the Gamelan topics for the whole test run, shared by
// every test file through `gamelanKafka()` (vitest's provide/inject). In vitest.config.ts:
//   test: { globalSetup: ['gamelan-kafka-harness/vitest/global-setup'] }
// GAMELAN_KAFKA_PROVIDER picks the provider (default auto), GAMELAN_CONFIG a Gamelan configuration file.

/** What test files get from `gamelanKafka()`. */
export interface GamelanKafkaContext {
  readonly bootstrapServers: readonly string[];
  readonly brokerCount: number;
  readonly topics: Readonly<Record<TopicRole, string>>;
  readonly config: GamelanKafkaConfig;
}

declare module 'vitest' {
  export interface ProvidedContext {
    gamelanKafka: GamelanKafkaContext;
  }
}

export default async function gamelanKafkaGlobalSetup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startStack({
    kafka: providerFromEnv() ?? 'auto',
    ...(process.env.GAMELAN_CONFIG ? { configFile: process.env.GAMELAN_CONFIG } : {}),
  });
  project.provide('gamelanKafka', {
    bootstrapServers: stack.broker.bootstrapServers,
    brokerCount: stack.broker.brokerCount,
    topics: topicNames(stack.config.gamelan),
    config: stack.config.gamelan,
  });
  return () => stack.stop();
}
