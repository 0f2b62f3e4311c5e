import { startToxiproxy } from '../../../harness/faults/index.js';

// A harness-like process that starts toxiproxy-server, prints where, and waits to be killed.
const toxiproxy = await startToxiproxy();
console.log(JSON.stringify({ url: toxiproxy.url, pid: process.pid }));
setInterval(() => {}, 1_000);
