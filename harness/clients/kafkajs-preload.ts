import { installKafkajsFastPaths } from './kafkajs-fast-paths.js';

// Imported first by the harness's entry points (library index, CLI, child executor, worker threads, benches), so
// that kafkajs's modules are replaced before kafkajs itself loads; see kafkajs-fast-paths.ts. It loads none of
// kafkajs's client code.
installKafkajsFastPaths();
