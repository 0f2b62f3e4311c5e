export { readConfig, parseConfig, type ApplicationConfig } from './read.js';
export { GAMELAN_PREFIX, KNOWN_KEYS, suggestKey } from './keys.js';
export {
  DEFAULT_CONFIG,
  gamelanKafkaSchema,
  retentionMs,
  topicNames,
  type GamelanKafkaConfig,
  type GamelanKafkaConfigInput,
} from './schema.js';
export {
  BOOTSTRAP_ENV_VARS,
  BOOTSTRAP_SERVERS_ALLOWED,
  bootstrapServersFromEnv,
  checkBootstrapServers,
  parseBootstrapServers,
  type InputName,
} from './bootstrap.js';
export {
  BROKER_COUNT_ALLOWED,
  DEFAULT_BROKERS,
  isBrokerCount,
  MAX_BROKERS,
  MIN_BROKERS,
  parseBrokerCount,
} from './broker-count.js';
export { bootstrapServersSchema, brokerCountSchema } from './value-schemas.js';
export { planTopics, type TopicPlan, type TopicsPlan } from './topic-plan.js';
