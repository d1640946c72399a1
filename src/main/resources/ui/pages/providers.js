// Providers: each deployment's circuit, success rate, latency and last error (masked), as this instance saw them.
import {api} from '../api.js';
import {h, fill, fmt, table} from '../dom.js';

const CIRCUIT = {closed: 'good', half_open: 'warn', open: 'bad'};

export function render(root) {
  const body = h('div', {id: 'providers-table'});
  const status = h('p', {class: 'error', role: 'alert'});
  root.append(h('h1', {}, 'Providers'),
    h('p', {class: 'hint'}, 'Upstream attempts seen by this gateway instance since it started; the latency is over the last 256 attempts.'),
    h('button', {type: 'button', class: 'secondary', onclick: load}, 'Refresh'), status, body);
  async function load() {
    status.textContent = '';
    try {
      const list = await api('admin/providers');
      fill(body, table([
        {label: 'Deployment', value: d => d.deployment},
        {label: 'Provider', value: d => d.provider},
        {label: 'Models', value: d => d.routes.join(', '), wrap: true},
        {label: 'Priority', value: d => String(d.priority), num: true},
        {label: 'Circuit', value: d => h('span', {class: 'badge ' + (CIRCUIT[d.circuit] || '')}, d.circuit.replace('_', '-'))},
        {label: 'Attempts', value: d => fmt.int(d.attempts), num: true},
        {label: 'Success rate', value: d => fmt.pct(d.success_rate), num: true},
        {label: 'p50', value: d => fmt.ms(d.latency_ms.p50), num: true},
        {label: 'p95', value: d => fmt.ms(d.latency_ms.p95), num: true},
        {label: 'Last error', value: d => d.last_error ? d.last_error.status + ' at ' + fmt.time(d.last_error.at) + ': ' + d.last_error.message : '–', wrap: true},
      ], list.data, {empty: 'No deployments are configured.', label: 'Deployments'}));
    } catch (e) { status.textContent = e.message; }
  }
  load();
}
