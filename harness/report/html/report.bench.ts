// Prints how long the HTML report takes to build and render for large flows, and how big the page gets.
// `npm run bench:report` (sizes: GAMELAN_BENCH_RECORDS, default 10k and 100k records).
import { cpus, loadavg, totalmem } from 'node:os';
import type { RecordedMessage } from '../../recorder/types.js';
import { pageAssets } from './assets.js';
import { buildPageModel } from './model.js';
import { renderPage } from './page.js';

/** A synthetic flow: runs of one task and its result each, over 3 partitions and 4 executors. */
function flow(records: number): RecordedMessage[] {
  const out: RecordedMessage[] = [];
  const t0 = Date.now();
  for (let i = 0; out.length < records; i++) {
    const runId = `run-${Math.floor(i / 5)}`;
    const task = { taskId: `${runId}:n${i % 5}:1`, runId, nodeId: `n${i % 5}`, attempt: 1, token: 't', createdAt: 'x' };
    const base = { partition: i % 3, key: runId, headers: {}, rawBase64: null, receivedAt: t0 + i };
    out.push({ ...base, topic: 'bench.tasks', role: 'tasks', offset: String(i), timestamp: t0 + 2 * i, value: task });
    out.push({
      ...base,
      topic: 'bench.results',
      role: 'results',
      offset: String(i),
      timestamp: t0 + 2 * i + 1,
      value: { ...task, status: 'SUCCESS', executorId: `executor-${i % 4}`, executionTime: 0 },
    });
  }
  return out;
}

const sizes = (process.env.GAMELAN_BENCH_RECORDS ?? '10000,100000').split(',').map(Number);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, load ${loadavg()[0]!.toFixed(1)}`,
);
pageAssets(); // read uPlot once, outside the timings
for (const records of sizes) {
  const messages = flow(records);
  const t0 = performance.now();
  const model = buildPageModel({
    title: 'bench',
    source: 'recording',
    scenarios: [
      { name: 'bench', status: 'passed', durationMs: 0, steps: [], recording: { messages, groups: [], lag: [] } },
    ],
  });
  const t1 = performance.now();
  const html = renderPage(model, pageAssets());
  const t2 = performance.now();
  const seq = model.scenarios[0]!.sequence;
  console.log(
    `${records.toLocaleString('en-US')} records: model ${(t1 - t0).toFixed(0)} ms, page ${(t2 - t1).toFixed(0)} ms, ` +
      `${(html.length / 2 ** 20).toFixed(2)} MiB, ${seq.arrows.length.toLocaleString('en-US')} of ${seq.totalArrows.toLocaleString('en-US')} arrows kept` +
      (seq.sampled ? ` (${seq.sampled.runsKept} of ${seq.sampled.runsTotal} runs)` : ''),
  );
}
