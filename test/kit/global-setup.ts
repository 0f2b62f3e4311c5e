import type { TestProject } from 'vitest/node';
import gamelanKafkaGlobalSetup from '../../harness/vitest/global-setup.js';
import { testBrokerKind } from '../support/broker.js';

// Our own suite picks the broker as every integration test does (native where a JDK is found),
// then hands over to the global setup users get.
export default async function setup(project: TestProject) {
  process.env.GAMELAN_KAFKA_PROVIDER ??= await testBrokerKind();
  return gamelanKafkaGlobalSetup(project);
}
