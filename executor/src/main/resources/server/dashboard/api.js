// The REST API, called with the signed-in credential in a header (never in a URL).

const STORE = 'image-builder.credential';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || 'HTTP ' + status);
    this.status = status;
    this.problem = problem;
  }
}

export function credential() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE));
  } catch {
    return null;
  }
}

export function signIn(kind, secret) {
  sessionStorage.setItem(STORE, JSON.stringify({kind, secret}));
}

export function signOut() {
  sessionStorage.removeItem(STORE);
}

function authHeaders() {
  const c = credential();
  if (!c) return {};
  return c.kind === 'bearer' ? {'Authorization': 'Bearer ' + c.secret} : {'X-API-Key': c.secret};
}

/** Called when the server refuses the credential: the page asks for another. */
let onUnauthorized = () => {};
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** A request; the answer's JSON, or null for 304. Errors are thrown as ApiError with the problem. */
export async function call(method, path, {body, headers = {}, signal} = {}) {
  const init = {method, headers: {...authHeaders(), ...headers}, signal, cache: 'no-store'};
  if (body !== undefined) {
    init.body = body;
    init.headers['Content-Type'] = 'application/json';
  }
  const r = await fetch(path, init);
  if (r.status === 304) return {notModified: true, response: r};
  const type = r.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await r.json() : await r.text();
  if (!r.ok) {
    if (r.status === 401) onUnauthorized();
    throw new ApiError(r.status, typeof data === 'object' ? data : {title: 'HTTP ' + r.status, detail: data});
  }
  return {data, response: r};
}

export const get = (path, options) => call('GET', path, options);

/**
 * Polls path every `ms` while `wanted()` says so, revalidating with the ETag so an unchanged answer costs a 304;
 * `render` gets each new answer. Stops when signal aborts.
 */
export function poll(path, ms, signal, render, wanted = () => true) {
  let etag = null;
  const tick = async () => {
    if (signal.aborted) return;
    try {
      const r = await get(path, {headers: etag ? {'If-None-Match': etag} : {}, signal});
      if (!r.notModified) {
        etag = r.response.headers.get('ETag');
        render(r.data);
      }
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status === 401) return;
    }
    if (!signal.aborted && wanted()) setTimeout(tick, ms);
  };
  return tick();
}

/**
 * Follows a job's log as Server-Sent Events through fetch (EventSource cannot send the credential header): each
 * line goes to onLine({line, time, text}) as it is written, the end event to onEnd({status, error}). A dropped
 * stream is resumed after the last line seen, with Last-Event-ID.
 */
export async function followLog(path, {onLine, onEnd, signal}) {
  let last = 0;
  for (let attempt = 0; !signal.aborted && attempt < 30; attempt++) {
    let ended = false;
    try {
      const headers = {...authHeaders(), 'Accept': 'text/event-stream'};
      if (last) headers['Last-Event-ID'] = String(last);
      const r = await fetch(path, {headers, signal, cache: 'no-store'});
      if (!r.ok) {
        if (r.status === 401) onUnauthorized();
        const problem = await r.json().catch(() => ({title: 'HTTP ' + r.status}));
        throw new ApiError(r.status, problem);
      }
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const event = parseEvent(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (event.type === 'end') {
            ended = true;
            onEnd(JSON.parse(event.data));
          } else if (event.data) {
            const line = JSON.parse(event.data);
            last = line.line;
            onLine(line);
          }
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError) throw e;
    }
    if (ended) return;
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

function parseEvent(block) {
  const event = {type: 'message', data: ''};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event.type = value;
    else if (field === 'data') event.data += (event.data ? '\n' : '') + value;
  }
  return event;
}
