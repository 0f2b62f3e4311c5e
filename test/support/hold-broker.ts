// Starts a native broker, prints one JSON line {pid, pids, dataDir, bootstrapServers, logFiles} and
// waits until killed. Used by the lifecycle tests: SIGTERM or kill -9 this process, then check that
// no broker JVM and no data dir survive it. Options: a JSON BrokerStartOptions subset as argv[2].
import { NativeBrokerProvider } from '../../harness/brokers/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as { brokers?: number };
const broker = await new NativeBrokerProvider().start(options);
process.stdout.write(
  `${JSON.stringify({
    pid: process.pid,
    pids: broker.nodes.map((n) => n.pid),
    dataDir: broker.dataDir,
    bootstrapServers: broker.bootstrapServers,
    logFiles: broker.logFiles,
  })}\n`,
);
// Stay up until a signal; the lifecycle registry (not this file) handles the cleanup.
setInterval(() => {}, 60_000);
