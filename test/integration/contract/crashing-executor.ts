// A test executor that joins its group, starts a grandchild (to prove the whole process group is stopped),
// and exits with code 3 on the first task it sees: "an executor that crashes mid-run".
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Kafka, logLevel } from '../../../harness/clients/kafkajs.js';

const env = process.env;
const grandchild = spawn('sleep', [env.CRASH_SLEEP ?? '300'], { stdio: 'ignore' });
if (env.CRASH_PID_FILE) writeFileSync(env.CRASH_PID_FILE, String(grandchild.pid));
const kafka = new Kafka({
  clientId: 'crashing-executor',
  brokers: env.GAMELAN_KAFKA_BOOTSTRAP_SERVERS!.split(','),
  logLevel: logLevel.NOTHING,
});
const consumer = kafka.consumer({ groupId: env.GAMELAN_GROUP_ID! });
await consumer.connect();
await consumer.subscribe({ topics: [env.GAMELAN_TASKS_TOPIC!], fromBeginning: true });
console.log(`crashing executor joined ${env.GAMELAN_GROUP_ID}`);
await consumer.run({
  eachMessage: async ({ message }) => {
    console.log(`got ${message.key?.toString() ?? 'a record'}; crashing now`);
    process.exit(3);
  },
});
