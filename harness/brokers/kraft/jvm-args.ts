/**
 * The broker JVM's flags, for native JVMs and containers alike. Small heap, serial GC, C1 only:
 * a test broker wants fast start and low RSS, not peak throughput.
 */
export const BROKER_JVM_ARGS = [
  '-Xms256m',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:-UsePerfData',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
] as const;
