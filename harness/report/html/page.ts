import { jsonForScript, type PageAssets, scriptSafe } from './assets.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';
import type { PageModel, ScenarioModel } from './model.js';

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const count = (n: number) => n.toLocaleString('en-US');
const badge = (status: 'passed' | 'failed' | 'unknown') =>
  `<span class="badge ${status === 'unknown' ? 'muted' : status}">${status === 'passed' ? 'PASS' : status === 'failed' ? 'FAIL' : 'NO RESULT'}</span>`;

function summary(model: PageModel): string {
  const rows = model.scenarios
    .map((s) => {
      const passedSteps = s.steps.filter((x) => x.status === 'passed').length;
      const anomalies = s.anomalies ? String(s.anomalies.total) : '–';
      return `<tr><td><a href="#${s.id}">${esc(s.name)}</a></td><td>${badge(s.status)}</td><td class="num">${seconds(s.durationMs)}</td><td class="num">${passedSteps}/${s.steps.length}</td><td class="num">${count(s.records)}</td><td class="num">${s.deadLetters.total}</td><td class="num">${anomalies}</td></tr>`;
    })
    .join('\n');
  const meta = [
    model.startedAt ? `started ${esc(model.startedAt)}` : '',
    `took ${seconds(model.durationMs)}`,
    model.kafka ? `Kafka: ${esc(model.kafka)}` : '',
    model.bootstrapServers.length ? `at ${esc(model.bootstrapServers.join(','))}` : '',
    `report made ${esc(model.generatedAt)}`,
  ].filter(Boolean);
  return `<section id="summary" class="card">
<h1>${esc(model.title)}</h1>
<p class="meta">${meta.join(' · ')}</p>
${model.seed === undefined ? '' : `<p class="seed">seed <code class="seed-value">${model.seed}</code>${model.replay ? ` · replay: <code class="replay">${esc(model.replay)}</code>` : ''}</p>`}
<p class="totals"><span class="badge passed">${model.passed} passed</span> <span class="badge ${model.failed ? 'failed' : 'muted'}">${model.failed} failed</span>${warningCount(model)}</p>
<table class="grid"><thead><tr><th>scenario</th><th>result</th><th>duration</th><th>steps</th><th>records</th><th>dead letters</th><th>anomalies</th></tr></thead>
<tbody>${rows}</tbody></table>
</section>`;
}

function warningCount(model: PageModel): string {
  const n = model.scenarios.reduce((sum, s) => sum + s.warnings.length, 0);
  return n === 0 ? '' : ` <span class="badge warning">${n} warning(s)</span>`;
}

function steps(s: ScenarioModel): string {
  if (s.steps.length === 0) return '<p class="muted">No steps were reported.</p>';
  const rows = s.steps
    .map(
      (x) =>
        `<tr><td>${esc(x.name)}</td><td>${badge(x.status)}</td><td class="num">${seconds(x.durationMs)}</td><td>${x.error ? `<pre class="error">${esc(x.error)}</pre>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<table class="grid"><thead><tr><th>step</th><th>result</th><th>duration</th><th>error</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function measurements(s: ScenarioModel): string {
  if (s.measurements.length === 0) return '<p class="muted">No measurements.</p>';
  return `<table class="grid"><thead><tr><th>measurement</th><th>value</th></tr></thead><tbody>${s.measurements
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td><code>${esc(v)}</code></td></tr>`)
    .join('\n')}</tbody></table>`;
}

const shownOf = (shown: number, total: number, what: string) =>
  shown < total ? `<p class="note">Showing the first ${count(shown)} of ${count(total)} ${what}.</p>` : '';

function retries(s: ScenarioModel): string {
  if (s.retries.total === 0) return '<p class="muted">No node was attempted more than once.</p>';
  const rows = s.retries.rows
    .map(
      (r) =>
        `<tr><td><code>${esc(r.runId)}</code></td><td>${esc(r.nodeId)}</td><td>${esc(r.attempts.join(', '))}</td><td>${r.gapsMs.map((g) => `<span class="gap" style="--w:${Math.min(200, Math.round(g / 25))}px">${count(g)} ms</span>`).join(' ')}</td><td>${esc(r.outcome)}</td></tr>`,
    )
    .join('\n');
  return `${shownOf(s.retries.rows.length, s.retries.total, 'retried nodes')}<table class="grid retries"><thead><tr><th>run</th><th>node</th><th>attempts</th><th>gaps between attempts (task records)</th><th>outcome</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function deadLetters(s: ScenarioModel): string {
  if (s.deadLetters.total === 0) return '<p class="muted">No dead letters.</p>';
  const rows = s.deadLetters.rows
    .map(
      (
        d,
      ) => `<tr><td class="num">+${seconds(d.t)}</td><td><code>${esc(d.where)}</code></td><td><code>${esc(d.key ?? '∅')}</code></td><td>${esc(d.reason)}</td><td>${esc(d.errorClass)}</td><td class="cause">${esc(d.cause)}</td><td><code>${esc(d.origin)}</code></td><td>${esc(d.consumerGroup)}</td>
<td><details><summary>${d.headers.length} headers</summary><table class="headers">${d.headers.map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v.length > 400 ? `${v.slice(0, 400)}…` : v)}</code></td></tr>`).join('')}</table></details></td></tr>`,
    )
    .join('\n');
  return `${shownOf(s.deadLetters.rows.length, s.deadLetters.total, 'dead letters')}<table class="grid dead-letters"><thead><tr><th>when</th><th>record</th><th>key</th><th>reason</th><th>error class</th><th>cause</th><th>origin</th><th>consumer group</th><th>headers</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function anomalies(s: ScenarioModel): string {
  const a = s.anomalies;
  if (!a) return '<p class="muted">No history-checker findings were given for this scenario.</p>';
  if (a.total === 0) return '<p class="ok">The history checker found no anomalies.</p>';
  const counts = a.counts.map((c) => `<tr><td>${esc(c.title)}</td><td class="num">${c.count}</td></tr>`).join('');
  const rows = a.listed
    .map(
      (x) =>
        `<tr><td>${esc(x.kind)}</td><td><code>${esc(x.runId ?? '–')}</code></td><td><code>${esc(x.taskId ?? '–')}</code></td><td>${esc(x.detail)}</td><td><code>${esc(x.records.join(' '))}</code></td></tr>`,
    )
    .join('\n');
  return `<table class="grid"><thead><tr><th>anomaly</th><th>count</th></tr></thead><tbody>${counts}</tbody></table>
${shownOf(a.listed.length, a.total, 'anomalies')}<table class="grid anomalies"><thead><tr><th>kind</th><th>run</th><th>task</th><th>what was seen</th><th>records</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function warnings(s: ScenarioModel): string {
  if (s.warnings.length === 0) return '';
  return `<div class="note warnings"><strong>${s.warnings.length} warning(s)</strong> (not failing; <code>--strict</code> makes them fail):<ul>${s.warnings.map((w) => `<li><code>${esc(w)}</code></li>`).join('')}</ul></div>`;
}

function seedLine(s: ScenarioModel): string {
  if (s.seed === undefined) return '';
  return `<p class="seed">seed <code class="seed-value">${s.seed}</code>${s.replay ? ` · replay this scenario: <code class="replay">${esc(s.replay)}</code>` : ''}</p>`;
}

/** The planned schedule (from the seed: the same on a replay) and the applied faults with their times. */
function faults(s: ScenarioModel): string {
  const { planned, marks } = s.faults;
  if (planned.length === 0 && marks.length === 0) return '';
  const ms = (n: number | undefined) => (n === undefined ? '–' : `${count(n)} ms`);
  const plannedRows = planned
    .map(
      (p) =>
        `<tr><td>${esc(p.what)}</td><td>${esc(p.target)}</td><td>${esc(p.when)}</td><td class="num">${ms(p.delayMs)}</td><td class="num">${ms(p.forMs)}</td></tr>`,
    )
    .join('\n');
  const appliedRows = marks
    .map(
      (m) =>
        `<tr class="fault-row"><td>${esc(m[2])}</td><td>${esc(m[3])}</td><td class="num">+${seconds(m[0])}</td><td class="num">+${seconds(m[1])}</td></tr>`,
    )
    .join('\n');
  return `<h3>Faults</h3>
<div class="two"><div><h4>Planned from the seed</h4>${planned.length ? `<table class="grid faults-planned"><thead><tr><th>fault</th><th>target</th><th>when</th><th>delay</th><th>for</th></tr></thead><tbody>${plannedRows}</tbody></table>` : '<p class="muted">None planned.</p>'}</div>
<div><h4>Applied (drawn on the timelines below)</h4>${marks.length ? `<table class="grid faults-applied"><thead><tr><th>fault</th><th>target</th><th>from</th><th>to</th></tr></thead><tbody>${appliedRows}</tbody></table>` : '<p class="muted">No fault was applied through ctx.faults or a child executor\'s crash().</p>'}</div></div>`;
}

function scenario(s: ScenarioModel): string {
  const noRecording = '<p class="muted">This scenario was not recorded.</p>';
  const seq = s.sequence;
  const sampled = seq.sampled
    ? `<p class="note">Large flow: ${count(seq.totalArrows)} messages; this page keeps ${count(seq.arrows.length)} of them — whole runs, the first ${count(seq.sampled.runsKept)} of ${count(seq.sampled.runsTotal)} in order of appearance — and draws ${s.arrowsPerPage} per page. The recording itself holds every record.</p>`
    : seq.arrows.length > s.arrowsPerPage
      ? `<p class="note">${count(seq.arrows.length)} messages, drawn ${s.arrowsPerPage} per page.</p>`
      : '';
  return `<section id="${s.id}" class="card scenario ${s.status}">
<h2>${esc(s.name)} ${badge(s.status)} <span class="muted small">${seconds(s.durationMs)} · ${count(s.records)} records</span> <a class="top" href="#summary">↑ summary</a></h2>
${s.description ? `<p>${esc(s.description)}</p>` : ''}
${s.error ? `<pre class="error">${esc(s.error)}</pre>` : ''}
${warnings(s)}
${seedLine(s)}
<div class="two"><div><h3>Steps</h3>${steps(s)}</div><div><h3>Measurements</h3>${measurements(s)}</div></div>
${faults(s)}
<h3>Message sequence</h3>
${s.recorded ? `${sampled}<div class="sequence" data-scenario="${s.id}"></div>` : noRecording}
<h3>Consumer-group membership and partition ownership</h3>
${!s.recorded ? noRecording : s.membership.length ? `<div class="membership" data-scenario="${s.id}"></div>` : '<p class="muted">No group snapshots in this recording.</p>'}
<h3>Lag over time</h3>
${!s.recorded ? noRecording : s.lag.length ? `<div class="lag" data-scenario="${s.id}"></div>` : '<p class="muted">No lag samples in this recording.</p>'}
<h3>Retry gaps</h3>
${s.recorded ? retries(s) : noRecording}
<h3>Dead letters</h3>
${s.recorded ? deadLetters(s) : noRecording}
<h3>History checker</h3>
${anomalies(s)}
</section>`;
}

/** The whole page: one file, uPlot and the page's script and styles inlined, the model embedded as JSON. */
export function renderPage(model: PageModel, assets: PageAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(model.title)}</title>
<style>${assets.uplotCss}</style>
<style>${PAGE_STYLE}</style>
</head>
<body>
<nav class="toc"><a href="#summary">Summary</a>${model.scenarios.map((s) => ` <a href="#${s.id}" class="${s.status}">${esc(s.name)}</a>`).join('')}</nav>
<main>
${summary(model)}
${model.scenarios.map(scenario).join('\n')}
</main>
<script type="application/json" id="report-model">${jsonForScript(model)}</script>
<script>${scriptSafe(assets.uplotJs)}</script>
<script>${scriptSafe(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}
