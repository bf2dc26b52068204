// The one way the console talks to rapportd: same-origin fetch, JSON in and out, the session's
// CSRF token on writes, an Idempotency-Key on every POST, and both error dialects turned into one
// ApiError. A 401 sends the app back to sign-in (see onUnauthorized).

/** An error answer of either dialect, or a network failure (status 0). `message` is never blank. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    /** Seconds to wait, from Retry-After on a 429. */
    readonly retryAfter: number | null = null,
  ) {
    super(message || `Request failed (${status})`);
  }
}

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** The CSRF token sent on POST/PATCH/PUT/DELETE (set by the session module). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on any 401 from a request made with `signInOn401` (the default). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  /** false for the sign-in and session probes, whose 401 is an answer, not an expiry. */
  signInOn401?: boolean;
}

function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined) params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Turns either dialect's error body into an ApiError; a 429's message says when to retry. */
export function toApiError(status: number, body: unknown, retryAfter: number | null): ApiError {
  const b = (body ?? {}) as Record<string, unknown>;
  const v1 = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : null;
  const source = v1 ?? b;
  const code = typeof source.code === 'string' ? source.code : 'error';
  let message = typeof source.message === 'string' ? source.message : '';
  if (status === 429) message = `${message || 'Too many requests.'}${retryAfter !== null ? ` Retry in ${retryAfter} s.` : ''}`;
  return new ApiError(status, code, message, v1 ? (v1.details ?? null) : null, retryAfter);
}

/** Sends one request; resolves with the parsed JSON (null for 204), rejects with an ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (method === 'POST') headers['Idempotency-Key'] = crypto.randomUUID();
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (response.ok) return body as T;
  const retry = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  const error = toApiError(response.status, body, Number.isFinite(retry) ? retry : null);
  if (response.status === 401 && options.signInOn401 !== false && unauthorizedHandler) unauthorizedHandler();
  throw error;
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query']) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
};
