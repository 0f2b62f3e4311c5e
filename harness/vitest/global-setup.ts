import type { TestProject } from 'vitest/node';
import { type GamelanKafkaConfig, type TopicRole, topicNames } from '../config/index.js';
import { startStack } from '../stack/start-stack.js';
import { providerFromEnv } from '../config/provider-env.js';
import { type ClientSecurity, parseSecurityMode } from '../config/security.js';

// A vitest globalSetup: one real broker with the Gamelan topics for the whole test run, shared by
// every test file through `gamelanKafka()` (vitest's provide/inject). In vitest.config.ts:
//   test: { globalSetup: ['gamelan-kafka-harness/vitest/global-setup'] }
// GAMELAN_KAFKA_PROVIDER picks the provider (default auto), GAMELAN_CONFIG a Gamelan configuration file,
// GAMELAN_KAFKA_SECURITY the broker's --security (default plaintext; password from GAMELAN_KAFKA_SASL_PASSWORD or random).

/** What test files get from `gamelanKafka()`. */
export interface GamelanKafkaContext {
  readonly bootstrapServers: readonly string[];
  readonly brokerCount: number;
  readonly topics: Readonly<Record<TopicRole, string>>;
  readonly config: GamelanKafkaConfig;
  /** How clients connect (GAMELAN_KAFKA_SECURITY); holds the password: never print it. */
  readonly security: ClientSecurity;
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
    ...(process.env.GAMELAN_KAFKA_SECURITY
      ? {
          security: {
            mode: parseSecurityMode(process.env.GAMELAN_KAFKA_SECURITY, 'GAMELAN_KAFKA_SECURITY'),
            ...(process.env.GAMELAN_KAFKA_SASL_USERNAME ? { username: process.env.GAMELAN_KAFKA_SASL_USERNAME } : {}),
            ...(process.env.GAMELAN_KAFKA_SASL_PASSWORD ? { password: process.env.GAMELAN_KAFKA_SASL_PASSWORD } : {}),
          },
        }
      : {}),
  });
  project.provide('gamelanKafka', {
    bootstrapServers: stack.broker.bootstrapServers,
    brokerCount: stack.broker.brokerCount,
    topics: topicNames(stack.config.gamelan),
    config: stack.config.gamelan,
    security: stack.broker.security,
  });
  return () => stack.stop();
}
