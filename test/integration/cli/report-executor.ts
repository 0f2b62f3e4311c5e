// A well-behaved executor for `contract --report`: the harness's FakeExecutor in its own process, configured
// from the GAMELAN_* environment the contract command gives every executor under test.
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';
import { DEFAULT_CONFIG, type GamelanKafkaConfig } from '../../../harness/config/index.js';
import { FakeExecutor } from '../../../harness/executors/executor.js';
import { behaviours } from '../../../harness/executors/handler.js';

const env = (name: string): string =>
  process.env[name] ??
  (() => {
    throw new Error(`${name} is not set`);
  })();
const config: GamelanKafkaConfig = {
  ...DEFAULT_CONFIG,
  tasks: { topic: env('GAMELAN_TASKS_TOPIC') },
  results: { topic: env('GAMELAN_RESULTS_TOPIC') },
  dlq: { ...DEFAULT_CONFIG.dlq, topic: env('GAMELAN_DLQ_TOPIC') },
  consumer: { ...DEFAULT_CONFIG.consumer, groupId: env('GAMELAN_GROUP_ID') },
};
const kafka = new Kafka({
  clientId: 'report-executor',
  brokers: env('GAMELAN_KAFKA_BOOTSTRAP_SERVERS').split(','),
  logLevel: logLevel.NOTHING,
});
const executor = await FakeExecutor.start({
  kafka,
  config,
  executorType: env('GAMELAN_EXECUTOR_TYPE'),
  id: 'report-executor-1',
  handler: behaviours.succeed(),
});
console.log(`executor ${executor.id} started`);
const stop = () => void executor.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
