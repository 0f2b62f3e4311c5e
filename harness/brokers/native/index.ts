export { NativeBrokerProvider, MAX_NATIVE_BROKERS, type NativeNodeInfo, type NativeProviderOptions, type NativeStartTimings, type StartedNativeBroker } from './provider.js';
export { DEFAULT_KAFKA_VERSION, cachedKafkaVersions, kafkaVersion } from './jars.js';
export { findJava, parseJavaVersion, MIN_JAVA_MAJOR, type JavaInfo } from './java.js';
export { harnessCacheDir } from './cache.js';
