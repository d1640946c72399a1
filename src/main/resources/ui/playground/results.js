// The playground's answer: images as they arrive (partials first when streaming), then the usage, the
// cost the ledger charged, the elapsed time and the request id.
import {api} from '../api.js';
import {h, fill, fmt} from '../dom.js';
import {events} from './sse.js';

/** 'input 7 tokens (7 text, 0 image) · output 392 tokens' from an images usage object. */
function tokens(u) {
  if (!u) return '–';
  const detail = d => d ? ' (' + (d.text_tokens || 0) + ' text, ' + (d.image_tokens || 0) + ' image)' : '';
  return 'input ' + fmt.int(u.input_tokens) + ' tokens' + detail(u.input_tokens_details) + ' · output '
    + fmt.int(u.output_tokens) + ' tokens' + detail(u.output_tokens_details);
}

const MIME = {png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp'};

export function resultsView(root) {
  const tiles = h('div', {class: 'results', id: 'results'});
  const meta = h('dl', {class: 'meta', id: 'result-meta'});
  const log = h('ol', {class: 'log', id: 'event-log', 'aria-label': 'Stream events'});
  const error = h('p', {class: 'error', role: 'alert', id: 'result-error'});
  root.replaceChildren(error, tiles, meta, log);
  const urls = [];

  function reset() {
    urls.splice(0).forEach(u => URL.revokeObjectURL(u));
    fill(tiles); fill(meta); fill(log); error.textContent = '';
  }

  function blobUrl(b64, format) {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], {type: MIME[format] || 'image/png'}));
    urls.push(url);
    return url;
  }

  function tile(i) {
    let t = tiles.querySelector('[data-index="' + i + '"]');
    if (!t) {
      t = h('figure', {class: 'tile', 'data-index': i}, h('img', {alt: 'Image ' + (i + 1) + ' (waiting)'}),
        h('div', {class: 'partials'}), h('figcaption', {}));
      tiles.append(t);
    }
    return t;
  }

  function final(i, src, requestId, format) {
    const t = tile(i);
    const img = t.querySelector('img');
    img.src = src;
    img.alt = 'Image ' + (i + 1);
    img.dataset.final = 'true';
    fill(t.querySelector('figcaption'), h('a', {href: src, download: 'imagegate-' + (requestId || 'image') + '-' + (i + 1) + '.' + (format || 'png'),
      class: 'download'}, 'Download'));
  }

  function partial(i, src, k) {
    const t = tile(i);
    const img = t.querySelector('img');
    if (!img.dataset.final) { img.src = src; img.alt = 'Image ' + (i + 1) + ', partial ' + (k + 1); }
    t.querySelector('.partials').append(h('img', {src, alt: 'Partial ' + (k + 1) + ' of image ' + (i + 1), class: 'partial'}));
  }

  /** Reads a finished or streaming answer; returns {usage, images}. */
  async function show(res, requestId, stream) {
    if (!stream) {
      const body = await res.json();
      body.data.forEach((d, i) => final(i, d.b64_json ? blobUrl(d.b64_json, body.output_format) : d.url, requestId, body.output_format));
      return {usage: body.usage, images: body.data.length};
    }
    let index = 0;
    const usage = {input_tokens: 0, output_tokens: 0, total_tokens: 0};
    for await (const {event, data} of events(res)) {
      const e = JSON.parse(data);
      log.append(h('li', {}, event + (e.partial_image_index !== undefined ? ' ' + e.partial_image_index : '')));
      if (event === 'error' || e.type === 'error') throw new Error(e.error ? e.error.message : 'The stream failed.');
      if (event.endsWith('.partial_image')) partial(index, blobUrl(e.b64_json, e.output_format), e.partial_image_index);
      else if (event.endsWith('.completed')) {
        final(index++, blobUrl(e.b64_json, e.output_format), requestId, e.output_format);
        for (const k of Object.keys(usage)) usage[k] += (e.usage && e.usage[k]) || 0;
      }
    }
    return {usage, images: index};
  }

  /** The request's facts, and the cost once the ledger has the row (it is written as the answer ends). */
  async function facts(res, requestId, elapsedMs, usage) {
    const rows = [['Request id', requestId], ['Elapsed', fmt.ms(elapsedMs)],
      ['Deployment', res.headers.get('x-imagegate-deployment') || '–'],
      ['Usage', tokens(usage)]];
    if (res.headers.get('x-imagegate-idempotent-replayed')) rows.push(['Replayed', 'yes (same Idempotency-Key)']);
    const cost = h('dd', {id: 'result-cost'}, '…');
    fill(meta, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {'data-meta': k}, v)]), h('dt', {}, 'Cost'), cost);
    for (let i = 0; i < 20 && requestId; i++) {
      try {
        const row = await api('admin/requests/' + encodeURIComponent(requestId));
        cost.textContent = fmt.usd(row.cost_usd);
        return;
      } catch (e) {
        if (e.status !== 404) break;
        await new Promise(r => setTimeout(r, 250));
      }
    }
    cost.textContent = 'not recorded yet';
  }

  return {reset, show, facts, fail: message => { error.textContent = message; }};
}
