// Overview: requests, errors by type, latency, images and cost over 24 h, 7 d or 30 d (from the hourly rollup).
import {api} from '../api.js';
import {h, fill, fmt, stat, table} from '../dom.js';
import {lineChart} from '../chart.js';

const WINDOWS = [['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days']];

export function render(root) {
  let windowName = '24h';
  let dispose = [];
  const stats = h('div', {class: 'stats', id: 'overview-stats'});
  const charts = h('div', {class: 'card'}, h('h2', {}, 'Requests and errors'), h('div', {class: 'chart', id: 'chart-requests'}),
    h('h2', {}, 'Cost (USD)'), h('div', {class: 'chart', id: 'chart-cost'}));
  const errors = h('div', {class: 'card', id: 'overview-errors'});
  const buttons = WINDOWS.map(([w, label]) => h('button', {type: 'button', 'aria-pressed': String(w === windowName),
    onclick: () => { windowName = w; buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(WINDOWS[i][0] === w))); load(); }}, label));
  const status = h('p', {class: 'error', role: 'alert'});
  root.append(h('h1', {}, 'Overview'), h('div', {class: 'segmented', role: 'group', 'aria-label': 'Time window'}, buttons),
    status, stats, charts, errors);

  async function load() {
    dispose.forEach(d => d());
    dispose = [];
    status.textContent = '';
    let o;
    try { o = await api('admin/overview?window=' + windowName); } catch (e) { status.textContent = e.message; return; }
    fill(stats,
      stat('Requests', fmt.int(o.requests), 'requests'),
      stat('Errors', fmt.int(o.errors) + (o.requests ? ' (' + fmt.pct(o.errors / o.requests) + ')' : ''), 'errors'),
      stat('Latency p50', fmt.ms(o.latency_ms && o.latency_ms.p50), 'p50'),
      stat('Latency p95', fmt.ms(o.latency_ms && o.latency_ms.p95), 'p95'),
      stat('Images', fmt.int(o.images), 'images'),
      stat('Cost', fmt.usd(o.cost_usd), 'cost'));
    const t = o.series.map(b => b.t);
    dispose.push(lineChart(charts.querySelector('#chart-requests'), t, [
      {label: 'requests', values: o.series.map(b => b.requests)},
      {label: 'errors', values: o.series.map(b => b.errors)}]));
    dispose.push(lineChart(charts.querySelector('#chart-cost'), t, [
      {label: 'cost', values: o.series.map(b => b.cost_usd), format: fmt.usd}], {bars: true, height: 160}));
    fill(errors, h('h2', {}, 'Errors by type'), table([
      {label: 'Error type', value: r => r.error_type},
      {label: 'Requests', value: r => fmt.int(r.requests), num: true}], o.errors_by_type, {empty: 'No errors in this window.'}));
  }
  load();
  return () => dispose.forEach(d => d());
}
