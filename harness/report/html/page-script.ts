// The page's script, inlined as text: it draws what needs the browser (the sequence diagram and the membership
// timeline as SVG, the lag charts with uPlot) from the model embedded in the page. Plain ES2020, no imports.
// The sequence diagram is our own SVG rather than Mermaid: Mermaid's browser bundle is about 3 MB and lays out
// a whole diagram at once, which does not scale to a paged, filterable flow of thousands of messages.
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var model = JSON.parse(document.getElementById('report-model').textContent);
  var SVG = 'http://www.w3.org/2000/svg';
  var KIND_COLORS = { task: '#2563eb', deliver: '#94a3b8', result: '#16a34a', event: '#9333ea', status: '#0891b2', dlq: '#dc2626', undecoded: '#ea580c' };
  var PARTICIPANT_COLORS = { engine: '#1e3a8a', topic: '#374151', executor: '#166534', group: '#166534', unknown: '#9a3412' };
  var PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

  function el(name, attrs, parent, text) {
    var node = document.createElementNS(SVG, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function html(tag, attrs, parent, text) {
    var node = document.createElement(tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function secs(ms) { return (ms / 1000).toFixed(3) + ' s'; }
  // Cut in the middle: executor ids share their type as a prefix and differ at the end.
  function shorten(text, max) {
    if (text.length <= max) return text;
    var tail = Math.floor((max - 1) / 2);
    return text.slice(0, max - 1 - tail) + '…' + text.slice(text.length - tail);
  }

  // Faults (s.faults.marks: [from ms, to ms, what, target, lifeline]) on every timeline: a red band from when it took
  // effect to when it was removed (a thin line for an instant one such as kill -9), with what and whom in its tooltip.
  var FAULT = '#dc2626';
  function faultText(f) { return 'fault: ' + f[2] + ' on ' + f[3] + ' from +' + secs(f[0]) + ' to +' + secs(f[1]); }
  function faultLabel(f) { return '⚡ ' + shorten(f[2] + ' · ' + f[3], 48); }

  function drawSequence(container, s) {
    var seq = s.sequence;
    var controls = html('div', { class: 'controls' }, container);
    html('label', { for: s.id + '-run' }, controls, 'run');
    var select = html('select', { id: s.id + '-run', class: 'run-filter' }, controls);
    html('option', { value: '-2' }, select, 'all runs (' + seq.runs.length + ')');
    seq.runs.forEach(function (r, i) { html('option', { value: String(i) }, select, r); });
    var prev = html('button', { type: 'button', class: 'prev' }, controls, '◀ earlier');
    var label = html('span', { class: 'page-label' }, controls);
    var next = html('button', { type: 'button', class: 'next' }, controls, 'later ▶');
    var legend = html('div', { class: 'legend' }, container);
    seq.kinds.forEach(function (k) { html('span', { style: '--c:' + KIND_COLORS[k] }, legend, k); });
    var scroll = html('div', { class: 'scroll' }, container);
    var page = 0;
    var chosen = seq.arrows;

    function render() {
      var per = s.arrowsPerPage;
      var pages = Math.max(1, Math.ceil(chosen.length / per));
      page = Math.min(Math.max(0, page), pages - 1);
      var rows = chosen.slice(page * per, page * per + per);
      label.textContent = chosen.length === 0 ? 'no messages' : 'messages ' + (page * per + 1) + '–' + (page * per + rows.length) + ' of ' + chosen.length + ' (page ' + (page + 1) + '/' + pages + ')';
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      // Only the lifelines this selection touches.
      var used = {};
      chosen.forEach(function (a) { used[a[1]] = true; used[a[2]] = true; });
      var cols = [];
      seq.participants.forEach(function (p, i) { if (used[i]) cols.push(i); });
      var colOf = {};
      cols.forEach(function (p, i) { colOf[p] = i; });
      // Columns fill the width when they fit; below 96 px each, the diagram scrolls sideways instead.
      var left = 84, head = 46, rowH = 22;
      var colW = Math.max(96, Math.min(150, Math.floor((scroll.clientWidth - left - 12) / Math.max(1, cols.length))));
      var width = left + Math.max(1, cols.length) * colW + 10;
      var height = head + rows.length * rowH + 16;
      scroll.textContent = '';
      var svg = el('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, class: 'sequence-svg', 'data-arrows': rows.length, 'data-participants': cols.length }, scroll);
      var defs = el('defs', {}, svg);
      Object.keys(KIND_COLORS).forEach(function (k) {
        var m = el('marker', { id: s.id + '-head-' + k, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
        el('path', { d: 'M0,0 L10,5 L0,10 z', fill: KIND_COLORS[k] }, m);
      });
      cols.forEach(function (p, i) {
        var part = seq.participants[p];
        var x = left + i * colW + colW / 2;
        el('line', { x1: x, y1: head - 6, x2: x, y2: height - 4, stroke: '#d1d5db', 'stroke-dasharray': '4 3' }, svg);
        var g = el('g', { class: 'participant', 'data-kind': part.kind }, svg);
        el('title', {}, g, part.title);
        el('rect', { x: x - colW / 2 + 4, y: 6, width: colW - 8, height: 30, rx: 5, fill: PARTICIPANT_COLORS[part.kind] || '#374151' }, g);
        var name = shorten(part.label, Math.floor((colW - 14) / 6.5));
        el('text', { x: x, y: 25, 'text-anchor': 'middle', fill: '#fff', 'font-size': 11 }, g, name);
      });
      // A fault's band spans the rows between the last message before it took effect and the first after it ended.
      function rowY(t) { var i = 0; while (i < rows.length && rows[i][0] < t) i++; return head + i * rowH + 1; }
      var firstT = rows.length ? rows[0][0] : 0, lastT = rows.length ? rows[rows.length - 1][0] : 0;
      s.faults.marks.forEach(function (f) {
        if (rows.length && ((f[1] < firstT && page > 0) || (f[0] > lastT && page < pages - 1))) return;
        var y1 = rowY(f[0]), y2 = Math.max(y1 + 3, rowY(f[1] + 0.001));
        var g = el('g', { class: 'fault-mark', 'data-timeline': 'sequence' }, svg);
        el('title', {}, g, faultText(f));
        el('rect', { x: left - 4, y: y1, width: width - left, height: y2 - y1, fill: FAULT, 'fill-opacity': 0.1, stroke: FAULT, 'stroke-width': 1 }, g);
        if (f[4] && colOf[seq.participants.findIndex(function (p) { return p.id === f[4]; })] !== undefined) {
          var lx = left + colOf[seq.participants.findIndex(function (p) { return p.id === f[4]; })] * colW + colW / 2;
          el('line', { x1: lx, y1: y1, x2: lx, y2: height - 4, stroke: FAULT, 'stroke-width': 3, 'stroke-opacity': 0.6 }, g);
        }
        el('text', { x: width - 6, y: y1 + 10, 'text-anchor': 'end', 'font-size': 10, fill: FAULT, 'font-weight': 600 }, g, faultLabel(f));
      });
      rows.forEach(function (a, r) {
        var y = head + r * rowH + 14;
        var kind = seq.kinds[a[3]];
        var x1 = left + colOf[a[1]] * colW + colW / 2;
        var x2 = left + colOf[a[2]] * colW + colW / 2;
        var g = el('g', { class: 'arrow', 'data-kind': kind }, svg);
        el('title', {}, g, '+' + secs(a[0]) + '  ' + a[4] + (a[5] >= 0 ? '  run ' + seq.runs[a[5]] : ''));
        el('text', { x: 6, y: y + 4, 'font-size': 10, fill: '#6b7280' }, g, '+' + secs(a[0]));
        el('line', { x1: x1, y1: y, x2: x2 === x1 ? x2 + 1 : x2, y2: y, stroke: KIND_COLORS[kind], 'stroke-width': 1.6, 'stroke-dasharray': kind === 'deliver' ? '5 3' : '', 'marker-end': 'url(#' + s.id + '-head-' + kind + ')' }, g);
        var text = a[4].length > 34 ? a[4].slice(0, 33) + '…' : a[4];
        el('text', { x: (x1 + x2) / 2, y: y - 4, 'text-anchor': 'middle', 'font-size': 10, fill: '#111827' }, g, text);
      });
    }
    select.addEventListener('change', function () {
      var v = Number(select.value);
      chosen = v === -2 ? seq.arrows : seq.arrows.filter(function (a) { return a[5] === v; });
      page = 0;
      render();
    });
    prev.addEventListener('click', function () { page--; render(); });
    next.addEventListener('click', function () { page++; render(); });
    render();
  }

  function drawMembership(container, s) {
    s.membership.forEach(function (m) {
      html('div', { class: 'muted small group-title' }, container, 'group ' + m.groupId + (m.protocol ? ' (' + m.protocol + ' protocol)' : '') + ' — ' + m.members.length + ' members over time, ' + m.lanes.length + ' partitions');
      var width = Math.max(600, container.clientWidth - 4), left = 110, laneH = 18, top = 34;
      var height = top + m.lanes.length * laneH + 24;
      var scale = (width - left - 16) / Math.max(1, m.end);
      var svg = el('svg', { width: width, height: height, class: 'membership-svg', 'data-lanes': m.lanes.length }, container);
      // State changes along the top: when the group rebalanced and how many members it had.
      var labelEnd = -Infinity;
      m.states.forEach(function (st) {
        var x = left + st[0] * scale;
        var tick = el('line', { x1: x, y1: 14, x2: x, y2: height - 20, stroke: st[1] === 'Stable' ? '#d1d5db' : '#f59e0b', 'stroke-dasharray': '2 2' }, svg);
        el('title', {}, tick, '+' + secs(st[0]) + ': ' + st[1] + ', ' + st[2] + ' members');
        // A state change too close to the one before keeps its tick (and tooltip) but not a label that would overlap.
        var text = st[1] + ' (' + st[2] + ')';
        if (x < labelEnd) return;
        var atEnd = x + 8 + text.length * 5 > width;
        var t = el('text', { x: atEnd ? x - 2 : x + 2, y: 12, 'font-size': 9, fill: '#6b7280', 'text-anchor': atEnd ? 'end' : 'start' }, svg, text);
        el('title', {}, t, '+' + secs(st[0]) + ': ' + st[1] + ', ' + st[2] + ' members');
        labelEnd = x + 8 + text.length * 5;
      });
      m.lanes.forEach(function (lane, i) {
        var y = top + i * laneH;
        var label = el('text', { x: 4, y: y + 12, 'font-size': 11, fill: '#374151' }, svg, lane.label);
        el('title', {}, label, lane.title);
        lane.segments.forEach(function (seg) {
          var r = el('rect', { class: 'segment', x: left + seg[0] * scale, y: y + 2, width: Math.max(1, (seg[1] - seg[0]) * scale), height: laneH - 4, fill: PALETTE[seg[2] % PALETTE.length], rx: 2 }, svg);
          el('title', {}, r, m.members[seg[2]].label + ' owns ' + lane.label + ' from +' + secs(seg[0]) + ' to +' + secs(seg[1]));
        });
      });
      s.faults.marks.forEach(function (f) {
        var x1 = left + Math.min(f[0], m.end) * scale, x2 = left + Math.min(f[1], m.end) * scale;
        var g = el('g', { class: 'fault-mark', 'data-timeline': 'membership' }, svg);
        el('title', {}, g, faultText(f));
        el('rect', { x: x1, y: 14, width: Math.max(2, x2 - x1), height: height - 34, fill: FAULT, 'fill-opacity': 0.14, stroke: FAULT, 'stroke-width': 1 }, g);
        el('text', { x: x1 + 3, y: height - 22, 'font-size': 9, fill: FAULT, 'font-weight': 600 }, g, faultLabel(f));
      });
      var axisY = height - 6;
      for (var k = 0; k <= 5; k++) {
        var t = (m.end * k) / 5;
        el('text', { x: left + t * scale, y: axisY, 'font-size': 10, fill: '#6b7280', 'text-anchor': k === 0 ? 'start' : k === 5 ? 'end' : 'middle' }, svg, '+' + (t / 1000).toFixed(1) + ' s');
      }
      var legend = html('div', { class: 'legend' }, container);
      m.members.forEach(function (member, i) { html('span', { style: '--c:' + PALETTE[i % PALETTE.length], title: member.id }, legend, member.label); });
    });
  }

  // On uPlot's overlay (over the plot area, in CSS pixels), redrawn with the chart.
  function markFaults(u, s) {
    u.over.querySelectorAll('.fault-mark').forEach(function (n) { n.remove(); });
    s.faults.marks.forEach(function (f) {
      var x1 = Math.max(0, u.valToPos(f[0] / 1000, 'x')), x2 = Math.min(u.over.clientWidth, u.valToPos(f[1] / 1000, 'x'));
      var d = html('div', { class: 'fault-mark', 'data-timeline': 'lag', title: faultText(f) }, u.over);
      d.style.left = x1 + 'px';
      d.style.width = Math.max(2, x2 - x1) + 'px';
    });
  }

  function drawLag(container, s) {
    s.lag.forEach(function (chart) {
      html('div', { class: 'muted small' }, container, 'group ' + chart.groupId + ' on ' + chart.topic + ' — peak ' + chart.peak + ' records');
      var box = html('div', { class: 'lag-chart' }, container);
      var data = [chart.x].concat(chart.series.map(function (x) { return x.values; }));
      var series = [{ label: 's' }].concat(chart.series.map(function (x, i) {
        return { label: x.label, stroke: i === 0 ? '#111827' : PALETTE[(i - 1) % PALETTE.length], width: i === 0 ? 2.5 : 1.5, paths: uPlot.paths.stepped({ align: 1 }) };
      }));
      new uPlot({
        width: Math.max(600, container.clientWidth - 4), height: 260,
        scales: { x: { time: false } },
        axes: [{ label: 'seconds since the first record' }, { label: 'lag (records)' }],
        series: series,
        hooks: { draw: [function (u) { markFaults(u, s); }] },
      }, data, box);
    });
  }

  model.scenarios.forEach(function (s) {
    var find = function (cls) { return document.querySelector('.' + cls + '[data-scenario="' + s.id + '"]'); };
    var seq = find('sequence'); if (seq) drawSequence(seq, s);
    var mem = find('membership'); if (mem) drawMembership(mem, s);
    var lag = find('lag'); if (lag) drawLag(lag, s);
  });
  document.body.setAttribute('data-rendered', 'true');
})();
`;
