import type { CommandEntry } from '../lazy-command.js';

// Every command, in the order of `gamelan-harness --help`. The modules are imported only when their
// command runs; keep their top-level imports light too (options and validation), and import what a
// command does (brokers, kafkajs, testcontainers, msw, faker) inside its handler.
export const COMMANDS: readonly CommandEntry[] = [
  {
    command: 'up',
    describe: 'Boot Kafka, create the Gamelan topics, print the bootstrap servers and stay up until Ctrl-C',
    load: async () => (await import('./up.js')).upCommand,
  },
  {
    command: 'down',
    describe: 'Stop the harness started with `up --detach` (broker, data directory and all)',
    load: async () => (await import('./down.js')).downCommand,
  },
  {
    command: 'fault <kind>',
    describe:
      'Inject a fault into the cluster of `up --detach --fault-proxy`: latency, bandwidth, blackhole, reset, slicer, down [--broker id] [--for 10s]; kill, pause, resume --broker id; clear; list',
    load: async () => (await import('./fault.js')).faultCommand,
  },
  {
    command: 'topics',
    describe: 'Describe the live Gamelan topics: partitions, leaders, replicas, retention',
    load: async () => (await import('./topics.js')).topicsCommand,
  },
  {
    command: 'doctor',
    describe:
      'Say what was found (Java, Maven, Docker engine, KAFKA_HOME, cached Kafka versions) and which provider auto picks',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  {
    command: 'run [scenarios..]',
    describe: 'Boot Kafka (or use the one from `up`), provision the topics, play scenarios, print a pass/fail table',
    load: async () => (await import('./run.js')).runCommand,
  },
  {
    command: 'report <dir>',
    describe: 'Render a recording (`run --record <dir>`) as one self-contained HTML page',
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    command: 'new <kind> <name>',
    describe:
      'Write a typed starter scenario that passes when run: `new scenario <name> [--dir scenarios]` (never overwrites)',
    load: async () => (await import('./new.js')).newCommand,
  },
  {
    command: 'list [scenarios..]',
    describe:
      'List the bundled scenarios with their tags (or those named); slow and chaos ones run by name, --tag or --all',
    load: async () => (await import('./list.js')).listCommand,
  },
  {
    command: 'contract',
    describe:
      'Check an executor in any language against the protocol: boot Kafka, start it, send the cases, check its results',
    load: async () => (await import('./contract.js')).contractCommand,
  },
  {
    command: 'load',
    describe:
      'Drive tasks at a rate (or as fast as possible) through fake or real executors; report throughput, latency percentiles, lag, lost and duplicated tasks; --slo fails the run',
    load: async () => (await import('./load.js')).loadCommand,
  },
  {
    command: 'lag',
    describe: 'Consumer lag of a group per partition: committed, end, lag, owner (as kafka-consumer-groups --describe)',
    load: async () => (await import('./lag.js')).lagCommand,
  },
  {
    command: 'reset-offsets',
    describe:
      "Plan moving a group's committed offsets on a topic to the earliest, the latest or a point in time (dry run); --execute applies it (the group must be inactive)",
    load: async () => (await import('./reset-offsets.js')).resetOffsetsCommand,
  },
  {
    command: 'dlq',
    describe: 'List the dead letters: origin (topic, partition, offset, key), reason, cause and payload',
    load: async () => (await import('./dlq.js')).dlqCommand,
  },
  {
    command: 'tail <topic>',
    describe:
      'Print decoded records of a Gamelan topic (by name or role: tasks, results, events, status, dlq) with key, partition and offset',
    load: async () => (await import('./tail.js')).tailCommand,
  },
  {
    command: 'produce <type>',
    describe:
      'Send valid messages of a type (tasks, results, events, status, dlq) from JSON (--value, --file, stdin) or the seeded builders (--build), keyed and with the protocol headers',
    load: async () => (await import('./produce.js')).produceCommand,
  },
  {
    command: 'conformance',
    describe:
      'Read the five topics of any cluster and report per topic: records, the dialect of each (spec/upstream/neither), every deviation from --dialect',
    load: async () => (await import('./conformance.js')).conformanceCommand,
  },
];
