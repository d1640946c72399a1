// Small DOM helpers: elements are built with h(), never from HTML strings, so no text is ever parsed as markup.

/**
 * h('button', {class: 'x', onclick: fn, 'aria-label': 'y'}, 'text', child) builds an element.
 * Attributes: class, text, hidden, disabled, value and checked are set as properties; on* as listeners; the
 * rest with setAttribute. Children: strings become text nodes, null and false are skipped, arrays flattened.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (['hidden', 'disabled', 'value', 'checked', 'selected'].includes(name)) el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let ids = 0;
/** A labelled form field: returns {wrap, input}; the label is tied to the control by id. */
export function field(label, control, {hint, grow} = {}) {
  if (!control.id) control.id = 'f' + (++ids);
  const hintEl = hint ? h('span', {class: 'hint', id: control.id + '-hint'}, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  const wrap = h('div', {class: grow ? 'field grow' : 'field'}, h('label', {for: control.id}, label), control, hintEl);
  return wrap;
}

/** A select with options [[value, label], ...] or [value, ...]. */
export function select(options, attrs = {}) {
  return h('select', attrs, options.map(o => {
    const [value, label] = Array.isArray(o) ? o : [o, o];
    return h('option', {value}, label);
  }));
}

export const fmt = {
  int: n => n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'),
  usd: n => n === null || n === undefined ? '–' : '$' + Number(n).toFixed(Number(n) !== 0 && Math.abs(n) < 0.1 ? 4 : 2),
  ms: n => n === null || n === undefined ? '–' : n >= 10000 ? (n / 1000).toFixed(1) + ' s' : Math.round(n) + ' ms',
  pct: n => n === null || n === undefined ? '–' : (n * 100).toFixed(1) + '%',
  time: s => s === null || s === undefined ? '–' : new Date(s * 1000).toISOString().replace('T', ' ').slice(0, 19) + 'Z',
  date: s => s === null || s === undefined ? '–' : new Date(s * 1000).toISOString().slice(0, 10),
};

/** A table from column specs [{label, value: row => text|Node, num}] and rows. */
export function table(columns, rows, {caption, empty = 'Nothing yet.', label = 'Table'} = {}) {
  const head = h('tr', {}, columns.map(c => h('th', {scope: 'col', class: c.num ? 'num' : null}, c.label)));
  const body = rows.length === 0
    ? [h('tr', {}, h('td', {colspan: columns.length, class: 'hint'}, empty))]
    : rows.map(r => h('tr', {}, columns.map(c => h('td', {class: c.num ? 'num' : c.wrap ? 'wrap' : null}, c.value(r)))));
  // focusable, so that a table wider than the screen scrolls from the keyboard too
  return h('div', {class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption || label}, h('table', {}, caption ? h('caption', {class: 'hint'}, caption) : null,
    h('thead', {}, head), h('tbody', {}, body)));
}

/** A stat card. */
export function stat(label, value, id) {
  return h('div', {class: 'stat', 'data-stat': id}, h('div', {class: 'label'}, label), h('div', {class: 'value'}, value));
}
