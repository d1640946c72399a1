// Keys: list, create (the secret shown once), edit models, limits, budget and expiry, revoke.
import {api} from '../api.js';
import {h, fill, fmt, field, select, table} from '../dom.js';

export async function render(root) {
  const models = (await api('admin/playground/models')).data.map(m => m.id);
  const list = h('div', {id: 'keys-table'});
  const formCard = h('div', {class: 'card', id: 'key-form-card'});
  const created = h('div', {id: 'key-created', 'aria-live': 'polite'});
  const status = h('p', {class: 'error', role: 'alert'});
  root.append(h('h1', {}, 'Keys'), created, formCard, status, list);
  showForm(null);
  await load();

  async function load() {
    const keys = (await api('admin/keys')).data;
    fill(list, table([
      {label: 'Name', value: k => k.name},
      {label: 'Id', value: k => h('code', {}, k.id)},
      {label: 'Prefix', value: k => h('code', {}, k.prefix + '…')},
      {label: 'Models', value: k => k.models.length ? k.models.join(', ') : 'all', wrap: true},
      {label: 'Scopes', value: k => k.scopes.join(', ')},
      {label: 'Limits', value: k => [k.rpm ? k.rpm + ' req/min' : null, k.ipm ? k.ipm + ' img/min' : null].filter(Boolean).join(', ') || '–'},
      {label: 'Budget', value: k => k.budget ? fmt.usd(k.budget.usd) + ' ' + k.budget.period : '–'},
      {label: 'Expires', value: k => k.expires_at ? fmt.date(k.expires_at) : 'never'},
      {label: 'State', value: k => state(k)},
      {label: 'Actions', value: k => k.revoked_at ? '' : h('span', {class: 'row'},
        h('button', {type: 'button', class: 'secondary', 'data-edit': k.id, onclick: () => showForm(k)}, 'Edit'),
        revokeButton(k))},
    ], keys, {empty: 'No keys yet: create one above.', label: 'Keys'}));
  }

  function state(k) {
    if (k.revoked_at) return h('span', {class: 'badge bad'}, 'revoked');
    if (k.disabled) return h('span', {class: 'badge warn'}, 'disabled');
    if (k.expires_at && k.expires_at * 1000 < Date.now()) return h('span', {class: 'badge warn'}, 'expired');
    return h('span', {class: 'badge good'}, 'active');
  }

  /** Two steps, no modal dialog: the first press arms the button, the second revokes. */
  function revokeButton(k) {
    const b = h('button', {type: 'button', class: 'danger', 'data-revoke': k.id, 'aria-label': 'Revoke key ' + k.name}, 'Revoke');
    b.addEventListener('click', async () => {
      if (!b.classList.contains('armed')) {
        b.classList.add('armed');
        b.textContent = 'Confirm revoke';
        return;
      }
      try { await api('admin/keys/' + encodeURIComponent(k.id), {method: 'DELETE'}); await load(); }
      catch (e) { status.textContent = e.message; }
    });
    return b;
  }

  function showForm(key) {
    const editing = key !== null;
    const name = h('input', {name: 'name', required: true, maxlength: 200, value: editing ? key.name : ''});
    const owner = h('input', {name: 'owner', maxlength: 200, value: editing && key.owner ? key.owner : ''});
    const modelBox = h('fieldset', {class: 'row'}, h('legend', {}, 'Models (none ticked: every model)'),
      models.map(m => h('label', {}, h('input', {type: 'checkbox', name: 'model', value: m,
        checked: editing && key.models.includes(m)}), ' ' + m)));
    const admin = h('input', {type: 'checkbox', name: 'admin', checked: editing && key.scopes.includes('admin')});
    const rpm = h('input', {type: 'number', name: 'rpm', min: 1, step: 1, value: editing && key.rpm ? key.rpm : ''});
    const ipm = h('input', {type: 'number', name: 'ipm', min: 1, step: 1, value: editing && key.ipm ? key.ipm : ''});
    const budget = h('input', {type: 'number', name: 'budget', min: 0, step: '0.01', value: editing && key.budget ? key.budget.usd : ''});
    const period = select([['total', 'in total'], ['daily', 'a day'], ['monthly', 'a month']], {name: 'period'});
    if (editing && key.budget) period.value = key.budget.period;
    const expires = h('input', {type: 'date', name: 'expires', value: editing && key.expires_at ? fmt.date(key.expires_at) : ''});
    const disabled = h('input', {type: 'checkbox', name: 'disabled', checked: editing && key.disabled});
    const error = h('p', {class: 'error', role: 'alert'});
    const form = h('form', {id: 'key-form'},
      h('h2', {}, editing ? 'Edit key ' + key.name : 'Create a key'),
      h('div', {class: 'row'}, field('Name', name, {grow: true}), field('Owner', owner, {grow: true})),
      modelBox,
      h('div', {class: 'row'}, field('Requests per minute', rpm, {hint: 'empty: no limit'}),
        field('Images per minute', ipm, {hint: 'empty: no limit'}),
        field('Budget (USD)', budget, {hint: 'empty: none'}), field('Budget period', period),
        field('Expires on (UTC)', expires, {hint: 'empty: never'})),
      h('div', {class: 'row'}, h('label', {}, admin, ' admin scope (may use the admin API and this dashboard)'),
        editing ? h('label', {}, disabled, ' disabled') : null),
      error,
      h('div', {class: 'row'}, h('button', {type: 'submit'}, editing ? 'Save' : 'Create key'),
        editing ? h('button', {type: 'button', class: 'secondary', onclick: () => showForm(null)}, 'Cancel') : null));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      error.textContent = '';
      const body = {
        name: name.value.trim(), owner: owner.value.trim() || null,
        models: [...modelBox.querySelectorAll('input:checked')].map(i => i.value),
        scopes: admin.checked ? ['images', 'admin'] : ['images'],
        rpm: rpm.value ? Number(rpm.value) : null, ipm: ipm.value ? Number(ipm.value) : null,
        budget: budget.value !== '' ? {usd: Number(budget.value), period: period.value} : null,
        expires_at: expires.value ? Math.floor(Date.parse(expires.value + 'T23:59:59Z') / 1000) : null,
      };
      if (editing) body.disabled = disabled.checked;
      try {
        if (editing) {
          await api('admin/keys/' + encodeURIComponent(key.id), {method: 'PATCH', body});
          fill(created);
        } else {
          const made = await api('admin/keys', {method: 'POST', body});
          showSecret(made);
        }
        showForm(null);
        await load();
      } catch (e) { error.textContent = e.message; }
    });
    fill(formCard, form);
    if (editing) name.focus();
  }

  function showSecret(made) {
    const secret = h('div', {class: 'secret', id: 'new-secret'}, made.secret);
    const copied = h('span', {class: 'ok', 'aria-live': 'polite'});
    fill(created, h('div', {class: 'card'},
      h('h2', {}, 'Key ' + made.name + ' created'),
      h('p', {}, 'Copy the secret now: it is shown this once and cannot be shown again.'),
      secret,
      h('div', {class: 'row'},
        h('button', {type: 'button', onclick: async () => {
          try { await navigator.clipboard.writeText(made.secret); copied.textContent = 'Copied.'; }
          catch (e) { getSelection().selectAllChildren(secret); copied.textContent = 'Selected: press Ctrl+C to copy.'; }
        }}, 'Copy'),
        h('button', {type: 'button', class: 'secondary', onclick: () => fill(created)}, 'Done'), copied)));
  }
}
