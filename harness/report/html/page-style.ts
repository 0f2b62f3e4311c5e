/** The page's own styles (uPlot's stylesheet is inlined beside them). */
export const PAGE_STYLE = `
:root { --fg:#1f2937; --muted:#6b7280; --line:#e5e7eb; --bg:#f8fafc; --pass:#15803d; --fail:#b91c1c; font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
body { margin:0; color:var(--fg); background:var(--bg); font-size:14px; }
nav.toc { position:sticky; top:0; z-index:5; background:#111827; padding:8px 16px; display:flex; gap:14px; flex-wrap:wrap; }
nav.toc a { color:#e5e7eb; text-decoration:none; } nav.toc a.failed { color:#fca5a5; }
main { padding:16px; max-width:1400px; margin:0 auto; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 20px; margin-bottom:18px; }
h1 { margin:0 0 4px; font-size:22px; } h2 { margin:0 0 8px; font-size:19px; } h3 { margin:18px 0 6px; font-size:15px; }
.meta, .muted { color:var(--muted); } .small { font-size:12px; font-weight:normal; }
.note { background:#fffbeb; border:1px solid #fde68a; padding:6px 10px; border-radius:6px; }
.ok { color:var(--pass); }
a.top { float:right; font-size:12px; font-weight:normal; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; color:#fff; vertical-align:middle; }
.badge.passed { background:var(--pass); } .badge.failed { background:var(--fail); } .badge.muted { background:#9ca3af; } .badge.warning { background:#b45309; }
table.grid { border-collapse:collapse; width:100%; margin:4px 0; }
table.grid th, table.grid td { border-bottom:1px solid var(--line); padding:4px 8px; text-align:left; vertical-align:top; }
table.grid th { background:#f3f4f6; font-weight:600; } td.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
td.cause { min-width:240px; max-width:420px; word-break:break-word; }
table.headers th, table.headers td { font-size:12px; padding:1px 6px; text-align:left; border:none; } table.headers code { word-break:break-all; }
pre.error { color:var(--fail); white-space:pre-wrap; margin:4px 0; font-size:12px; }
code { font-size:12px; }
.two { display:grid; grid-template-columns: 1fr 1fr; gap:20px; } @media (max-width: 900px) { .two { grid-template-columns:1fr; } }
.gap { display:inline-block; min-width:var(--w); background:#dbeafe; border-radius:3px; padding:0 4px; margin:1px 0; font-size:12px; white-space:nowrap; }
.controls { display:flex; gap:10px; align-items:center; margin:6px 0; flex-wrap:wrap; }
.scroll { overflow:auto; max-height:720px; border:1px solid var(--line); border-radius:6px; background:#fff; }
svg text { font-family: system-ui, "DejaVu Sans", sans-serif; }
.group-title { margin-top:12px; } .membership-svg { display:block; }
.legend { display:flex; gap:12px; flex-wrap:wrap; font-size:12px; margin:4px 0; }
.legend span::before { content:""; display:inline-block; width:10px; height:10px; margin-right:4px; background:var(--c); border-radius:2px; vertical-align:middle; }
h4 { margin:8px 0 4px; font-size:13px; } p.seed code.replay { background:#f3f4f6; padding:1px 5px; border-radius:4px; user-select:all; }
.lag-chart .fault-mark { position:absolute; top:0; height:100%; background:rgba(220,38,38,.14); border-left:1px solid #dc2626; pointer-events:auto; }
`;
