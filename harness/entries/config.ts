// `gamelan-kafka-harness/config`: what configures the harness beyond `loadConfig` (root entry) — gamelan.kafka.*
// parsed from an object, its defaults and known keys, topic names and retention, client security (TLS/SASL and
// the executor's environment for it), a command's configuration as the CLI reads it, and workflow definitions.
export { DEFAULT_CONFIG, KNOWN_KEYS, parseConfig, retentionMs, TOPIC_ROLES, topicNames } from '../config/index.js';
export { microProfileEnvironment } from '../config/quarkus.js';
export {
  executorSecurityEnvironment,
  kafkajsSecurity,
  SECURITY_MODES,
  type ClientSecurity,
  type JavaTruststore,
  type SaslCredentials,
  type SecurityMode,
  type TlsTrust,
} from '../config/security.js';
export { loadCommandConfig, securityFromEnvironment } from '../config/command-config.js';
export type { BrokerSecurityOptions } from '../brokers/kraft/security.js';
// Workflows the fake engine runs (loadWorkflows, for a directory of them, is in the root entry).
export { loadWorkflow, parseWorkflow, type WorkflowDefinition } from '../engine/workflow.js';
