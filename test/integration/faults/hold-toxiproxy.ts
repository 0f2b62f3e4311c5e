import { type FaultProxyKind, startToxiproxy } from '../../../harness/faults/index.js';

// A harness-like process that starts the fault proxy of the kind given (argv[2]; default: the one
// chosen), prints where, and waits to be killed.
const kind = process.argv[2] as FaultProxyKind | undefined;
const toxiproxy = await startToxiproxy(kind ? { kind } : {});
const containerId = toxiproxy.source.kind === 'testcontainers' ? toxiproxy.source.containerId : undefined;
console.log(JSON.stringify({ url: toxiproxy.url, pid: process.pid, containerId }));
setInterval(() => {}, 1_000);
