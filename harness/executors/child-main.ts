// A fake executor in its own process, so scenarios can crash it for real (kill -9: no LeaveGroup,
// no commit; the group notices when its session times out). Started by child-executor.ts.
import { createClient } from '../clients/create-client.js';
import { parseBootstrapServers } from '../config/bootstrap.js';
import { securityFromEnvironment } from '../config/command-config.js';
import type { GamelanKafkaConfig } from '../config/index.js';
import { FakeExecutor } from './executor.js';
import { handlerFor } from './behaviour-spec.js';
import { isDialectName } from '../vocabulary.js';
import { routedSocketFactory } from '../faults/network.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/** GAMELAN_KAFKA_ROUTES (JSON broker → proxy address): every connection goes through its fault lane's proxies. */
const routed = (routes: string | undefined) =>
  routes ? { socketFactory: routedSocketFactory(JSON.parse(routes) as Record<string, string>) } : {};

const dialect = process.env.GAMELAN_DIALECT ?? 'spec';
if (!isDialectName(dialect))
  throw new Error(`GAMELAN_DIALECT ${JSON.stringify(dialect)} is not a dialect: use spec or upstream`);
const kafka = createClient({
  brokers: parseBootstrapServers(env('GAMELAN_KAFKA_BOOTSTRAP_SERVERS'), 'GAMELAN_KAFKA_BOOTSTRAP_SERVERS'),
  clientId: 'gamelan-child-executor',
  logLevel: 'nothing',
  ...routed(process.env.GAMELAN_KAFKA_ROUTES),
  security: await securityFromEnvironment(process.env),
});
const executor = await FakeExecutor.start({
  kafka,
  config: JSON.parse(env('GAMELAN_CONFIG_JSON')) as GamelanKafkaConfig,
  executorType: env('GAMELAN_EXECUTOR_TYPE'),
  groupId: env('GAMELAN_GROUP_ID'),
  id: env('GAMELAN_EXECUTOR_ID'),
  handler: handlerFor(process.env.GAMELAN_EXECUTOR_BEHAVIOUR ?? 'succeed', 'GAMELAN_EXECUTOR_BEHAVIOUR'),
  dialect,
});
process.stdout.write(`${JSON.stringify({ ready: true, id: executor.id, pid: process.pid })}\n`);
const stop = () => void executor.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// The parent's end of stdin closes when the parent dies: then go too.
process.stdin.on('end', stop).resume();
