// `gamelan-kafka-harness/config`: what configures the harness beyond `readConfig` (root entry) — gamelan.kafka.*
// parsed from an object, its defaults and known keys, topic names and retention, client security (TLS/SASL and
// the executor's environment for it), a command's configuration as the CLI reads it, and workflow definitions.
export { DEFAULT_CONFIG, KNOWN_KEYS, parseConfig, retentionMs, topicNames } from '../config/index.js';
export { TOPIC_ROLES } from '../vocabulary.js';
export { microProfileEnvironment } from '../config/quarkus.js';
export {
  executorSecurityEnvironment,
  SECURITY_MODES,
  type ClientSecurity,
  type JavaTruststore,
  type SaslCredentials,
  type SecurityMode,
  type TlsTrust,
} from '../config/security.js';
export { readCommandConfig, securityFromEnvironment } from '../config/command-config.js';
export type { BrokerSecurityOptions } from '../brokers/kraft/security.js';
export { kafkajsSecurity } from '../clients/create-client.js';
// Workflows the fake engine runs (readWorkflows, for a directory of them, is in the root entry).
export { readWorkflow, parseWorkflow, type WorkflowDefinition } from '../engine/workflow.js';
