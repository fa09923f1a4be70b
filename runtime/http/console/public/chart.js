import { s, h, fmt } from './dom.js';

const WINDOW_MS = 15 * 60_000;
const W = 300;
const H = 64;

/** A small live chart of one rate over the last 15 minutes: area, line, current and peak value. */
export function rateChart(title, unit, colour) {
  const area = s('path', { class: 'area', fill: colour, 'fill-opacity': '0.15' });
  const line = s('path', { class: 'line', fill: 'none', stroke: colour, 'stroke-width': '1.6', 'vector-effect': 'non-scaling-stroke' });
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'chart', role: 'img', 'aria-label': title }, s('line', { x1: 0, x2: W, y1: H - 0.5, y2: H - 0.5, class: 'axis' }), area, line);
  const now = h('span', { class: 'big' });
  const peak = h('span', { class: 'muted' });
  const since = h('span', { text: '15 min ago' });
  const el = h('section', { class: 'card chart-card' }, h('div', { class: 'chart-head' }, h('h3', { text: title }), h('div', {}, now, h('span', { class: 'muted', text: ` ${unit}` }))), svg, h('div', { class: 'chart-foot muted' }, since, peak, h('span', { text: 'now' })));
  return {
    el,
    update(points, key) {
      const end = Date.now();
      const visible = points.filter((p) => p.t >= end - WINDOW_MS);
      // a young host charts from its first point: a 15-minute axis would crush it to the right edge
      const start = Math.max(end - WINDOW_MS, Math.min(visible[0]?.t ?? end, end - 30_000));
      const span = Math.round((end - start) / 1000);
      since.textContent = span >= 60 ? `${Math.round(span / 60)} min ago` : `${span} s ago`;
      const max = Math.max(1, ...visible.map((p) => p[key]));
      const x = (t) => ((t - start) / (end - start)) * W;
      const y = (v) => H - 2 - (v / max) * (H - 6);
      const d = visible.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join('');
      line.setAttribute('d', d);
      area.setAttribute('d', visible.length ? `${d}L${x(visible[visible.length - 1].t).toFixed(1)},${H}L${x(visible[0].t).toFixed(1)},${H}Z` : '');
      const last = visible[visible.length - 1];
      now.textContent = fmt.rate(last ? last[key] : 0);
      peak.textContent = `peak ${fmt.rate(Math.max(0, ...visible.map((p) => p[key])))}`;
      el.dataset.value = String(last ? last[key] : 0);
    },
  };
}
