// Requests: the recent requests' metadata (never a prompt or an image), newest first, paged by keyset.
import {api, query} from '../api.js';
import {h, fmt, field, select, table, fill} from '../dom.js';

const ERROR_TYPES = ['caller_invalid_request', 'caller_unknown_model', 'caller_timeout', 'caller_cancelled',
  'policy_auth_failed', 'policy_model_forbidden', 'policy_rate_limited', 'policy_budget_exceeded',
  'policy_idempotency_conflict', 'provider_content_policy', 'provider_refused', 'provider_rate_limited',
  'provider_error', 'provider_timeout', 'gateway_overloaded', 'gateway_internal', '_other'];

export async function render(root) {
  const [keys, models] = await Promise.all([api('admin/keys'), api('admin/playground/models')]);
  const key = select([['', 'any key'], ['master', 'master key'], ...keys.data.map(k => [k.id, k.name])], {name: 'key'});
  const model = select([['', 'any model'], ...models.data.map(m => m.id)], {name: 'model'});
  const status = select([['', 'any status'], '2xx', '4xx', '5xx', '400', '401', '403', '404', '429', '500', '502', '503', '504'], {name: 'status'});
  const errorType = select([['', 'any error type'], ...ERROR_TYPES], {name: 'error_type'});
  const rows = [];
  const list = h('div', {id: 'requests-table'});
  const more = h('button', {type: 'button', class: 'secondary', id: 'requests-more', hidden: true}, 'Older requests');
  const error = h('p', {class: 'error', role: 'alert'});
  const form = h('form', {class: 'row card'}, field('Key', key), field('Model', model), field('Status', status),
    field('Error type', errorType), h('button', {type: 'submit'}, 'Filter'));
  root.append(h('h1', {}, 'Requests'), form, error, list, more);
  let cursor = null;
  form.addEventListener('submit', e => { e.preventDefault(); rows.length = 0; cursor = null; load(); });
  more.addEventListener('click', load);

  async function load() {
    error.textContent = '';
    let page;
    try {
      page = await api('admin/requests' + query({key: key.value, model: model.value, status: status.value,
        error_type: errorType.value, limit: 50, cursor}));
    } catch (e) { error.textContent = e.message; return; }
    rows.push(...page.data);
    cursor = page.next_cursor;
    more.hidden = !page.has_more;
    fill(list, table([
      {label: 'Time', value: r => fmt.time(r.created_at)},
      {label: 'Request id', value: r => h('code', {}, r.request_id)},
      {label: 'Key', value: r => r.key_id},
      {label: 'Model', value: r => r.model},
      {label: 'Endpoint', value: r => r.endpoint},
      {label: 'Deployment', value: r => r.deployment || '–'},
      {label: 'Size', value: r => r.size || '–'},
      {label: 'n', value: r => String(r.n), num: true},
      {label: 'Images', value: r => String(r.images), num: true},
      {label: 'Status', value: r => h('span', {class: 'badge ' + (r.status < 400 ? 'good' : 'bad')}, String(r.status))},
      {label: 'Error type', value: r => r.error_type && r.error_type !== 'none' ? r.error_type : '–'},
      {label: 'Latency', value: r => fmt.ms(r.latency_ms), num: true},
      {label: 'Cost', value: r => fmt.usd(r.cost_usd), num: true},
    ], rows, {empty: 'No requests match.', label: 'Requests'}));
  }
  await load();
}
