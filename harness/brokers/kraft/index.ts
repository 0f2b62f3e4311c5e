// A KRaft node as the harness configures it, whichever provider launches it: server.properties
// (loopback listeners, test tuning), log4j2, JVM flags, free ports, and cluster ids.
export { newClusterId } from './cluster-id.js';
export { BROKER_JVM_ARGS } from './jvm-args.js';
export { log4jProperties } from './log4j.js';
export { pickPorts } from './ports.js';
export {
  BROKER_SASL_MECHANISM,
  checkBrokerSecurityOptions,
  DEFAULT_SASL_USERNAME,
  prepareBrokerSecurity,
  scramFormatArgument,
  securityServerProperties,
  type BrokerSecurity,
  type BrokerSecurityOptions,
} from './security.js';
export { generateTlsMaterial, randomPassword, tlsToolsDiagnosis, type BrokerTlsMaterial } from './tls.js';
export {
  LOOPBACK,
  parseSimpleProperties,
  renderProperties,
  serverProperties,
  type NodeEndpoints,
  type ServerPropertiesInput,
} from './server-properties.js';
