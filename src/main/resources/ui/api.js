// Calls to the gateway's admin API, by relative URL (the page works wherever a proxy mounts the gateway),
// with the session cookie (same origin). Errors come back as ApiError with the gateway's error object.

export class ApiError extends Error {
  constructor(status, error) {
    super(error && error.message ? error.message : 'HTTP ' + status);
    this.status = status;
    this.code = error ? error.code : null;
    this.param = error ? error.param : null;
  }
}

let onSignedOut = () => {};
/** What to do when a call finds the session gone (401). */
export function whenSignedOut(fn) { onSignedOut = fn; }

/** JSON in, JSON out. body: an object (sent as JSON) or FormData. */
export async function api(path, {method = 'GET', body, headers = {}, signal} = {}) {
  const init = {method, headers: {...headers}, credentials: 'same-origin', signal};
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  return read(res);
}

/** The JSON of an answer, or an ApiError. */
export async function read(res) {
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
  if (!res.ok) {
    if (res.status === 401) onSignedOut();
    throw new ApiError(res.status, data && data.error ? data.error : {message: 'HTTP ' + res.status + ' ' + text.slice(0, 200)});
  }
  return data;
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
