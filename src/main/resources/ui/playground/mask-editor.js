// The mask editor on the first input image: brush, eraser, size, undo, invert, clear. The painted area is
// what the edit may change: the exported mask is a PNG of the image's own size, alpha 0 where painted and
// opaque elsewhere (OpenAI's convention; the gateway checks it).
import {h} from '../dom.js';

/** Builds the editor in `root` for an image Blob; resolves to {exportMask, painted, destroy}. */
export async function maskEditor(root, imageBlob) {
  const bitmap = await createImageBitmap(imageBlob);
  const width = bitmap.width, height = bitmap.height;
  const base = h('canvas', {width, height, 'aria-hidden': 'true'});
  base.getContext('2d').drawImage(bitmap, 0, 0);
  const overlay = h('canvas', {class: 'overlay', width, height, id: 'mask-canvas', role: 'img', tabindex: 0,
    'aria-label': 'Mask: paint over the first image where the edit may change it. From the keyboard: arrow keys'
      + ' move the brush, Space paints, Shift with an arrow paints as it moves.'});
  const cursor = h('div', {class: 'mask-cursor', hidden: true, 'aria-hidden': 'true'});
  const ctx = overlay.getContext('2d');
  const ops = []; // every change, replayed on undo: {type: 'stroke', erase, size, points} | {type: 'invert'} | {type: 'clear'}
  let erase = false;
  let stroke = null;

  const brush = h('button', {type: 'button', 'aria-pressed': 'true', id: 'mask-brush'}, 'Brush');
  const eraser = h('button', {type: 'button', 'aria-pressed': 'false', id: 'mask-eraser'}, 'Eraser');
  const size = h('input', {type: 'range', min: 4, max: Math.max(64, Math.round(Math.max(width, height) / 4)),
    value: Math.round(Math.max(width, height) / 16), id: 'mask-size'});
  const sizeLabel = h('label', {for: 'mask-size'}, 'Brush size (image pixels)');
  const undo = h('button', {type: 'button', class: 'secondary', id: 'mask-undo'}, 'Undo');
  const invert = h('button', {type: 'button', class: 'secondary', id: 'mask-invert'}, 'Invert');
  const clear = h('button', {type: 'button', class: 'secondary', id: 'mask-clear'}, 'Clear');
  const tool = on => { erase = on; brush.setAttribute('aria-pressed', String(!on)); eraser.setAttribute('aria-pressed', String(on)); };
  brush.addEventListener('click', () => tool(false));
  eraser.addEventListener('click', () => tool(true));
  undo.addEventListener('click', () => { ops.pop(); redraw(); });
  invert.addEventListener('click', () => { ops.push({type: 'invert'}); redraw(); });
  clear.addEventListener('click', () => { ops.push({type: 'clear'}); redraw(); });

  const point = e => {
    const r = overlay.getBoundingClientRect();
    return [(e.clientX - r.left) * width / r.width, (e.clientY - r.top) * height / r.height];
  };
  overlay.addEventListener('pointerdown', e => {
    overlay.setPointerCapture(e.pointerId);
    stroke = {type: 'stroke', erase, size: Number(size.value), points: [point(e)]};
    ops.push(stroke);
    draw(stroke);
  });
  overlay.addEventListener('pointermove', e => {
    if (!stroke) return;
    stroke.points.push(point(e));
    draw(stroke, stroke.points.length - 2);
  });
  // the keyboard's brush: a position moved by the arrows, shown as a ring while the mask has the focus
  let at = [width / 2, height / 2];
  const showCursor = () => {
    const d = Number(size.value);
    cursor.style.left = ((at[0] - d / 2) / width * 100) + '%';
    cursor.style.top = ((at[1] - d / 2) / height * 100) + '%';
    cursor.style.width = (d / width * 100) + '%';
    cursor.style.height = (d / height * 100) + '%';
  };
  overlay.addEventListener('focus', () => { cursor.hidden = false; showCursor(); });
  overlay.addEventListener('blur', () => { cursor.hidden = true; });
  overlay.addEventListener('keydown', e => {
    const step = Math.max(width, height) / 32;
    const move = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step]}[e.key];
    if (!move && e.key !== ' ') return;
    e.preventDefault();
    const from = at;
    if (move) at = [Math.min(width, Math.max(0, at[0] + move[0])), Math.min(height, Math.max(0, at[1] + move[1]))];
    if (e.key === ' ' || e.shiftKey) {
      const s = {type: 'stroke', erase, size: Number(size.value), points: e.key === ' ' ? [at] : [from, at]};
      ops.push(s);
      draw(s);
    }
    showCursor();
  });
  const end = () => { stroke = null; };
  overlay.addEventListener('pointerup', end);
  overlay.addEventListener('pointercancel', end);

  function draw(s, from = 0) {
    ctx.save();
    ctx.globalCompositeOperation = s.erase ? 'destination-out' : 'source-over';
    ctx.strokeStyle = ctx.fillStyle = '#e0245e';
    ctx.lineWidth = s.size;
    ctx.lineCap = ctx.lineJoin = 'round';
    const pts = s.points;
    if (pts.length === 1) {
      ctx.beginPath();
      ctx.arc(pts[0][0], pts[0][1], s.size / 2, 0, Math.PI * 2);
      ctx.fill();
    } else {
      ctx.beginPath();
      ctx.moveTo(...pts[Math.max(0, from)]);
      for (let i = Math.max(1, from + 1); i < pts.length; i++) ctx.lineTo(...pts[i]);
      ctx.stroke();
    }
    ctx.restore();
  }

  function redraw() {
    ctx.clearRect(0, 0, width, height);
    for (const op of ops) {
      if (op.type === 'stroke') draw(op);
      else if (op.type === 'clear') ctx.clearRect(0, 0, width, height);
      else {
        ctx.save();
        ctx.globalCompositeOperation = 'xor';
        ctx.fillStyle = '#e0245e';
        ctx.fillRect(0, 0, width, height);
        ctx.restore();
      }
    }
  }

  /** Whether any pixel is painted. */
  function painted() {
    const data = ctx.getImageData(0, 0, width, height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  }

  /** The mask PNG, or null when nothing is painted. */
  async function exportMask() {
    if (!painted()) return null;
    const out = h('canvas', {width, height});
    const o = out.getContext('2d');
    o.fillStyle = '#000';
    o.fillRect(0, 0, width, height);
    o.globalCompositeOperation = 'destination-out'; // painted pixels become fully transparent
    const paint = ctx.getImageData(0, 0, width, height);
    for (let i = 3; i < paint.data.length; i += 4) if (paint.data[i] !== 0) paint.data[i] = 255;
    const hard = h('canvas', {width, height});
    hard.getContext('2d').putImageData(paint, 0, 0);
    o.drawImage(hard, 0, 0);
    return new Promise(resolve => out.toBlob(resolve, 'image/png'));
  }

  const panel = h('div', {class: 'card', id: 'mask-editor'},
    h('h2', {}, 'Mask'),
    h('p', {class: 'hint'}, 'Paint where the edit may change the first image (' + width + 'x' + height + '). The mask is sent with edits.'),
    h('div', {class: 'mask-stage'}, base, overlay, cursor),
    h('div', {class: 'row'}, h('div', {class: 'segmented', role: 'group', 'aria-label': 'Tool'}, brush, eraser),
      h('div', {class: 'field'}, sizeLabel, size), undo, invert, clear));
  root.replaceChildren(panel);
  bitmap.close();
  return {exportMask, painted, destroy: () => root.replaceChildren()};
}
