import type { TestProject } from 'vitest/node';
import { createGlobalSetup } from '../../harness/vitest/global-setup.js';
import { providerFromEnv } from '../../harness/brokers/provider-env.js';
import { testBrokerKind } from '../support/broker.js';

// Our own suite picks the broker as every integration test does (native where a JDK is found),
// then hands over to the global setup users get, through its typed options.
export default async function setup(project: TestProject) {
  return createGlobalSetup({ kafka: providerFromEnv() ?? (await testBrokerKind()) })(project);
}
