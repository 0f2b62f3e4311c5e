import { inject } from 'vitest';
import { HarnessError } from '../errors.js';
import type { GamelanKafkaContext } from './global-setup.js';

/** The broker and topics the global setup started for this test run. */
export function gamelanKafka(): GamelanKafkaContext {
  const context = inject('gamelanKafka') as GamelanKafkaContext | undefined;
  if (!context) {
    throw new HarnessError(
      'BROKER_STATE_NOT_FOUND',
      "No Gamelan Kafka for this test run: add globalSetup: ['gamelan-kafka-harness/vitest/global-setup'] to the test configuration.",
    );
  }
  return context;
}
