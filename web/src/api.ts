import { clearToken, loadToken } from './session';

// Every data call: the admin token as a Bearer header, JSON in and out, the gateway's error shape turned into an
// ApiError. A 401 means the token was refused or revoked: the session ends and the sign-in form comes back.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path = '',
  ) {
    super(message);
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export async function request<T>(method: 'GET' | 'POST', path: string, opts: { body?: unknown; token?: string; signal?: AbortSignal } = {}): Promise<T> {
  const token = opts.token ?? loadToken();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The gateway did not answer. Is it running?');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; path?: string } } | undefined)?.error;
    if (res.status === 401 && opts.token === undefined) {
      clearToken();
      for (const l of signedOutListeners) l();
    }
    throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `The gateway answered ${res.status}.`, e?.path ?? '');
  }
  return body as T;
}

export const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, signal ? { signal } : {});
export const post = <T>(path: string, body: unknown) => request<T>('POST', path, { body });

/** `/api/x` + the non-empty parameters. */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
