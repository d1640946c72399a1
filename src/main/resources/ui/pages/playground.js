// Playground: every image parameter the gateway takes, input images (upload or paste), a mask editor, streamed
// partial images, abort, and one Idempotency-Key per click. Calls go through the signed-in admin's session.
import {api, read} from '../api.js';
import {h, fill, field, select, fmt} from '../dom.js';
import {check, presets} from '../playground/sizes.js';
import {maskEditor} from '../playground/mask-editor.js';
import {resultsView} from '../playground/results.js';

export async function render(root) {
  const models = (await api('admin/playground/models')).data;
  const c = {
    model: select(models.map(m => m.id), {name: 'model'}),
    prompt: h('textarea', {name: 'prompt', required: true, rows: 4}),
    endpoint: select([['auto', 'auto (edits when there are images)'], ['generations', 'generations'], ['edits', 'edits']], {name: 'endpoint'}),
    size: select([], {name: 'size'}),
    width: h('input', {type: 'number', name: 'width', value: 1280, min: 16, step: 16}),
    height: h('input', {type: 'number', name: 'height', value: 720, min: 16, step: 16}),
    quality: select([], {name: 'quality'}),
    n: h('input', {type: 'number', name: 'n', value: 1, min: 1, step: 1}),
    background: select(['auto', 'opaque', 'transparent'], {name: 'background'}),
    format: select(['png', 'jpeg', 'webp'], {name: 'output_format'}),
    compression: h('input', {type: 'number', name: 'output_compression', value: 100, min: 0, max: 100, disabled: true}),
    moderation: select(['auto', 'low'], {name: 'moderation'}),
    responseFormat: select([['b64_json', 'b64_json'], ['url', 'url']], {name: 'response_format'}),
    stream: h('input', {type: 'checkbox', name: 'stream'}),
    partials: h('input', {type: 'number', name: 'partial_images', value: 2, min: 0, max: 3, disabled: true}),
    files: h('input', {type: 'file', name: 'image', accept: 'image/png,image/jpeg,image/webp', multiple: true}),
  };
  const sizeError = h('p', {class: 'error', id: 'size-error', role: 'status'});
  const custom = h('div', {class: 'row', hidden: true}, field('Width', c.width), field('Height', c.height));
  const inputs = h('div', {class: 'inputs', id: 'input-images'});
  const maskRoot = h('div', {id: 'mask-root'});
  const run = h('button', {type: 'submit', id: 'run'}, 'Generate');
  const abort = h('button', {type: 'button', class: 'danger', id: 'abort', disabled: true}, 'Abort');
  const elapsed = h('span', {id: 'elapsed', 'aria-live': 'off'});
  const resultsRoot = h('div', {class: 'card', id: 'playground-results'}, h('p', {class: 'hint'}, 'Results appear here.'));
  const form = h('form', {class: 'card', id: 'playground-form'},
    field('Model', c.model), field('Prompt', c.prompt, {grow: true}), field('Endpoint', c.endpoint),
    h('div', {class: 'row'}, field('Size', c.size), field('Quality', c.quality), field('Images (n)', c.n)), custom, sizeError,
    h('div', {class: 'row'}, field('Background', c.background), field('Output format', c.format),
      field('Compression (%)', c.compression), field('Moderation', c.moderation), field('Answer as', c.responseFormat)),
    h('div', {class: 'row'}, h('label', {}, c.stream, ' Stream'), field('Partial images', c.partials)),
    field('Input images (or paste one)', c.files, {hint: 'PNG, JPEG or WebP; the first one can be masked.'}), inputs,
    h('div', {class: 'row'}, run, abort, elapsed));
  root.append(h('h1', {}, 'Playground'), h('div', {class: 'playground'}, h('div', {}, form, maskRoot), resultsRoot));
  const results = resultsView(resultsRoot);
  const images = []; // {blob, name, url}
  let editor = null;
  let controller = null;

  const model = () => models.find(m => m.id === c.model.value);
  function modelChanged() {
    const m = model();
    fill(c.size, presets(m.sizes).map(s => h('option', {value: s}, s)));
    if ([...c.size.options].some(o => o.value === '1024x1024')) c.size.value = '1024x1024';
    fill(c.quality, m.qualities.map(q => h('option', {value: q}, q)));
    if (m.qualities.includes('auto')) c.quality.value = 'auto';
    c.n.max = m.max_n;
    sizeChanged();
  }
  const size = () => c.size.value === 'custom' ? c.width.value + 'x' + c.height.value : c.size.value;
  function sizeChanged() {
    custom.hidden = c.size.value !== 'custom';
    // a hidden field must not hold the form back: disabled controls are left out of its validation
    c.width.disabled = c.height.disabled = custom.hidden;
    const problem = check(size(), model().sizes);
    sizeError.textContent = problem ? 'Size ' + size() + ': ' + problem + '.' : '';
    for (const el of [c.width, c.height, c.size]) el.setAttribute('aria-invalid', String(!!problem));
    run.disabled = !!problem || controller !== null;
  }
  c.model.addEventListener('change', modelChanged);
  for (const el of [c.size, c.width, c.height]) for (const type of ['input', 'change']) el.addEventListener(type, sizeChanged);
  c.format.addEventListener('change', () => { c.compression.disabled = c.format.value === 'png'; });
  c.stream.addEventListener('change', () => { c.partials.disabled = !c.stream.checked; });
  c.files.addEventListener('change', () => { addImages([...c.files.files]); c.files.value = ''; });
  const onPaste = e => {
    const pasted = [...(e.clipboardData ? e.clipboardData.files : [])].filter(f => f.type.startsWith('image/'));
    if (pasted.length) { e.preventDefault(); addImages(pasted); }
  };
  document.addEventListener('paste', onPaste);
  modelChanged();

  function addImages(files) {
    for (const f of files) images.push({blob: f, name: f.name || 'pasted.png', url: URL.createObjectURL(f)});
    showImages();
  }
  async function showImages() {
    fill(inputs, images.map((img, i) => h('figure', {}, h('img', {src: img.url, alt: 'Input image ' + (i + 1)}),
      h('button', {type: 'button', class: 'secondary', 'aria-label': 'Remove input image ' + (i + 1), onclick: () => {
        URL.revokeObjectURL(img.url); images.splice(i, 1); showImages();
      }}, 'Remove'))));
    run.textContent = endpoint() === 'edits' ? 'Edit' : 'Generate';
    const first = images[0];
    if (!first) { editor = null; fill(maskRoot); return; }
    if (editor && editor.blob === first.blob) return;
    editor = await maskEditor(maskRoot, first.blob);
    editor.blob = first.blob;
  }
  const endpoint = () => c.endpoint.value === 'auto' ? (images.length ? 'edits' : 'generations') : c.endpoint.value;
  c.endpoint.addEventListener('change', () => { run.textContent = endpoint() === 'edits' ? 'Edit' : 'Generate'; });

  /** The fields the user set; defaults are left out, as a client would. */
  function fields() {
    const f = {model: c.model.value, prompt: c.prompt.value, size: size(), quality: c.quality.value, n: Number(c.n.value)};
    if (c.background.value !== 'auto') f.background = c.background.value;
    if (c.format.value !== 'png') { f.output_format = c.format.value; f.output_compression = Number(c.compression.value); }
    if (c.moderation.value !== 'auto') f.moderation = c.moderation.value;
    if (c.responseFormat.value !== 'b64_json') f.response_format = c.responseFormat.value;
    if (c.stream.checked) { f.stream = true; f.partial_images = Number(c.partials.value); }
    return f;
  }

  async function body(kind, f) {
    if (kind === 'generations') {
      if (images.length) f.image = await Promise.all(images.map(i => dataUrl(i.blob)));
      return {headers: {'Content-Type': 'application/json'}, body: JSON.stringify(f)};
    }
    const form = new FormData();
    for (const [k, v] of Object.entries(f)) form.append(k, String(v));
    images.forEach(i => form.append('image[]', i.blob, i.name));
    const mask = editor ? await editor.exportMask() : null;
    if (mask) form.append('mask', mask, 'mask.png');
    return {headers: {}, body: form};
  }

  form.addEventListener('submit', async e => {
    e.preventDefault();
    const kind = endpoint();
    if (kind === 'edits' && !images.length) { results.fail('An edit needs at least one input image.'); return; }
    results.reset();
    controller = new AbortController();
    run.disabled = true;
    abort.disabled = false;
    const started = performance.now();
    let timer = setInterval(() => { elapsed.textContent = fmt.ms(performance.now() - started); }, 100);
    try {
      const f = fields();
      const {headers, body: payload} = await body(kind, f);
      headers['Idempotency-Key'] = idempotencyKey(); // one per click: a retried click is charged once
      const res = await fetch('admin/playground/images/' + kind, {method: 'POST', headers, body: payload,
        credentials: 'same-origin', signal: controller.signal});
      const requestId = res.headers.get('x-request-id');
      if (!res.ok) await read(res);
      const {usage} = await results.show(res, requestId, !!f.stream);
      const took = performance.now() - started;
      clearInterval(timer);
      timer = null;
      elapsed.textContent = fmt.ms(took);
      await results.facts(res, requestId, took, usage);
    } catch (err) {
      results.fail(err.name === 'AbortError' ? 'Aborted.' : err.message);
    } finally {
      if (timer) { clearInterval(timer); elapsed.textContent = fmt.ms(performance.now() - started); }
      controller = null;
      abort.disabled = true;
      sizeChanged();
    }
  });
  abort.addEventListener('click', () => { if (controller) controller.abort(); });

  return () => {
    document.removeEventListener('paste', onPaste);
    if (controller) controller.abort();
    images.forEach(i => URL.revokeObjectURL(i.url));
  };
}

function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

function idempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map(b => b.toString(16).padStart(2, '0')).join('');
}
