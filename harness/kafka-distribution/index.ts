// The Apache Kafka distribution on this machine, below both brokers/ and topics/: a JDK, the Kafka
// jars (KAFKA_HOME, else the per-user cache filled by Maven), the cache itself, and Kafka's own tools.
export { harnessCacheDir, kafkaVersionDir, newLogRunDir, pruneLogRuns, type Env } from './cache.js';
export {
  cachedKafkaVersions,
  DEFAULT_KAFKA_VERSION,
  kafkaHomeProblem,
  kafkaVersion,
  resolveKafkaJars,
  type JarsProgress,
  type KafkaJars,
} from './jars.js';
export { findJava, findOnPath, jdkTool, MIN_JAVA_MAJOR, parseJavaVersion, type JavaInfo } from './java.js';
export { findKeytool, runKeytool } from './keytool.js';
export { runKafkaTool, type KafkaToolOptions } from './tool.js';
