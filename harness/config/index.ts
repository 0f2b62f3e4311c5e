export { loadConfig, parseConfig, type LoadedConfig } from './load.js';
export { GAMELAN_PREFIX, KNOWN_KEYS, suggestKey } from './keys.js';
export {
  DEFAULT_CONFIG,
  gamelanKafkaSchema,
  retentionMs,
  TOPIC_ROLES,
  topicNames,
  type GamelanKafkaConfig,
  type GamelanKafkaConfigInput,
  type TopicRole,
} from './schema.js';
