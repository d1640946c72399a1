// Usage: totals and charts by day, by model and by key over a date range, and the rows as CSV.
import {api, query} from '../api.js';
import {h, fill, fmt, field, stat, table} from '../dom.js';
import {lineChart} from '../chart.js';

const DAY = 86400;

export async function render(root) {
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 29 * DAY * 1000).toISOString().slice(0, 10);
  const from = h('input', {type: 'date', value: monthAgo, name: 'from'});
  const to = h('input', {type: 'date', value: today, name: 'to'});
  const keyNames = new Map((await api('admin/keys')).data.map(k => [k.id, k.name]));
  keyNames.set('master', 'master key');
  const totals = h('div', {class: 'stats', id: 'usage-totals'});
  const chart = h('div', {class: 'chart', id: 'chart-usage'});
  const byModel = h('div', {id: 'usage-by-model'});
  const byKey = h('div', {id: 'usage-by-key'});
  const csv = h('a', {id: 'usage-csv', download: 'usage.csv'}, 'Export the rows as CSV');
  const status = h('p', {class: 'error', role: 'alert'});
  const form = h('form', {class: 'row card'}, field('From (UTC)', from), field('To, inclusive (UTC)', to),
    h('button', {type: 'submit'}, 'Show'), csv);
  root.append(h('h1', {}, 'Usage'), form, status, totals,
    h('div', {class: 'card'}, h('h2', {}, 'By day'), chart),
    h('div', {class: 'card'}, h('h2', {}, 'By model'), byModel),
    h('div', {class: 'card'}, h('h2', {}, 'By key'), byKey));
  let dispose = () => {};
  form.addEventListener('submit', e => { e.preventDefault(); load(); });

  async function load() {
    status.textContent = '';
    const range = {from: from.value, to: to.value ? new Date(Date.parse(to.value) + DAY * 1000).toISOString().slice(0, 10) : ''};
    csv.href = 'admin/usage' + query({...range, format: 'csv'});
    let days, models, keys;
    try {
      [days, models, keys] = await Promise.all(['day', 'model', 'key'].map(g => api('admin/usage' + query({...range, group_by: g}))));
    } catch (e) { status.textContent = e.message; return; }
    fill(totals, stat('Requests', fmt.int(days.total.requests), 'requests'), stat('Images', fmt.int(days.total.images), 'images'),
      stat('Cost', fmt.usd(days.total.cost_usd), 'cost'));
    dispose();
    // every day of the range, the empty ones too, so that the axis spans the range asked
    const byDay = new Map(days.data.map(d => [d.group, d]));
    const t = [];
    for (let at = Date.parse(range.from); range.from && at < Date.parse(range.to); at += DAY * 1000) t.push(at / 1000);
    if (!t.length) days.data.forEach(d => t.push(Date.parse(d.group) / 1000));
    const day = s => byDay.get(new Date(s * 1000).toISOString().slice(0, 10));
    dispose = lineChart(chart, t, [{label: 'requests', values: t.map(s => (day(s) || {requests: 0}).requests)},
      {label: 'images', values: t.map(s => (day(s) || {images: 0}).images)}], {bars: true});
    const share = rows => {
      const most = Math.max(0, ...rows.map(r => r.cost_usd));
      return {label: 'Share of cost', value: r => {
        const bar = h('span', {class: 'bar', role: 'img', 'aria-label': fmt.pct(most ? r.cost_usd / most : 0) + ' of the largest'});
        bar.style.width = (most ? Math.round(100 * r.cost_usd / most) : 0) + '%'; // CSSOM, allowed by the policy
        return h('span', {class: 'bar-track'}, bar);
      }};
    };
    const columns = (first, rows) => [first, share(rows),
      {label: 'Requests', value: r => fmt.int(r.requests), num: true},
      {label: 'Images', value: r => fmt.int(r.images), num: true},
      {label: 'Text in', value: r => fmt.int(r.text_input_tokens), num: true},
      {label: 'Image in', value: r => fmt.int(r.image_input_tokens), num: true},
      {label: 'Image out', value: r => fmt.int(r.image_output_tokens), num: true},
      {label: 'Cost', value: r => fmt.usd(r.cost_usd), num: true}];
    fill(byModel, table(columns({label: 'Model', value: r => r.group}, models.data), models.data, {empty: 'No usage in this range.'}));
    fill(byKey, table(columns({label: 'Key', value: r => (keyNames.get(r.group) || r.group) + ' (' + r.group + ')'}, keys.data),
      keys.data, {empty: 'No usage in this range.'}));
  }
  await load();
  return () => dispose();
}
