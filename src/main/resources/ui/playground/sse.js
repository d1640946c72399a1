// Server-sent events read from a fetch() answer (EventSource cannot POST or send a key): frames are split on
// blank lines; each gives {event, data} with the data lines joined.

export async function* events(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, {stream: true});
    let cut;
    while ((cut = frameEnd(buffer)) !== null) {
      const frame = buffer.slice(0, cut.at);
      buffer = buffer.slice(cut.at + cut.length);
      const parsed = parse(frame);
      if (parsed) yield parsed;
    }
  }
  buffer += decoder.decode();
  const last = parse(buffer);
  if (last) yield last;
}

function frameEnd(text) {
  const candidates = ['\r\n\r\n', '\n\n', '\r\r'].map(sep => ({at: text.indexOf(sep), length: sep.length}))
    .filter(c => c.at >= 0).sort((a, b) => a.at - b.at);
  return candidates.length ? candidates[0] : null;
}

function parse(frame) {
  let event = 'message';
  const data = [];
  for (const line of frame.split(/\r\n|\n|\r/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'event') event = value;
    else if (name === 'data') data.push(value);
  }
  return data.length ? {event, data: data.join('\n')} : null;
}
