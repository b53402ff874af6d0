// The bridge's REST API from the page: the session cookie (HttpOnly, set by
// POST /api/v1/session) goes with every request; changes carry the session's CSRF token.

export const session = {csrf: null, readOnly: true, expiresAt: null};

export class ApiError extends Error {
  constructor(status, body) {
    const message = (body && (body.message || body.error)) || `HTTP ${status}`;
    super(message);
    this.status = status;
    this.code = body && body.error;
    this.body = body;
  }
}

function remember(body) {
  session.csrf = body.csrf_token;
  session.readOnly = body.read_only === true;
  session.expiresAt = body.expires_at;
}

export async function request(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = {error: text.slice(0, 300)};
    }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && path !== '/api/v1/session') window.dispatchEvent(new CustomEvent('unauthorized'));
    throw err;
  }
  return data;
}

export const get = (path) => request('GET', path);

// A query string from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

// The live session (200) or null (401: ask for the key).
export async function resume() {
  try {
    remember(await get('/api/v1/session'));
    return true;
  } catch (e) {
    if (e.status === 401) return false;
    throw e;
  }
}

export async function login(key) {
  remember(await request('POST', '/api/v1/session', {key}));
}

export async function logout() {
  try {
    await request('DELETE', '/api/v1/session');
  } finally {
    session.csrf = null;
    session.readOnly = true;
  }
}

// Every page of a list route ({items, next}), up to max items.
export async function all(path, max) {
  const items = [];
  let next = path;
  while (next && items.length < max) {
    const page = await get(next);
    items.push(...page.items);
    next = page.next;
  }
  return items;
}
