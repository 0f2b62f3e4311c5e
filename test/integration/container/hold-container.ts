// Starts the container provider, prints one JSON line {pid, startId, containerIds, networkName}
// and waits until killed. Used by the cleanup tests: SIGTERM or kill -9 this process, then check
// that no container and no network of that start survive. argv[2]: {"brokers": n}.
import { ContainerBrokerProvider } from '../../../harness/brokers/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as { brokers?: number };
const broker = await new ContainerBrokerProvider().start(options);
process.stdout.write(
  `${JSON.stringify({ pid: process.pid, startId: broker.startId, containerIds: broker.containerIds, networkName: broker.networkName })}\n`,
);
// Stay up until a signal; the lifecycle registry and the harness reaper (not this file) clean up.
setInterval(() => {}, 60_000);
