import { Pool } from 'undici';
import { retryable, type DeliveryError } from '../errors.js';
import type { PlatformRequest, PlatformResponse } from '../platforms/types.js';

// Real HTTP for the worker: one keep-alive pool per origin (a destination's host, or its base_url), so batches
// reuse warm connections. Network failures and timeouts come back as retryable DeliveryErrors, never throws.

export type SendResult = { response: PlatformResponse } | { error: DeliveryError };

export interface HttpSenderOptions {
  /** Connections per origin (several batches in flight per destination). */
  connections?: number;
}

export class HttpSender {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly opts: HttpSenderOptions = {}) {}

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: this.opts.connections ?? 8, keepAliveTimeout: 30_000, pipelining: 1 });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async send(request: PlatformRequest, timeoutMs: number): Promise<SendResult> {
    if (request.method === 'GET') return this.exchange(request.url, 'GET', lowerKeys(request.headers), undefined, timeoutMs);
    // Handed to undici as bytes: given a string, undici copies it into a Buffer and this frame would keep the
    // string too, both alive across the round trip. A batch of 1,000 events is a ~1.5 MB string (large-object
    // space, freed only by a full GC), and up to three batches per destination are in flight while draining.
    const body = Buffer.from(typeof request.body === 'string' ? request.body : JSON.stringify(request.body));
    const headers = { 'content-type': 'application/json', ...lowerKeys(request.headers) };
    return this.exchange(request.url, request.method, headers, body, timeoutMs);
  }

  async postForm(url: string, form: Record<string, string>, timeoutMs: number): Promise<SendResult> {
    return this.exchange(url, 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(form).toString(), timeoutMs);
  }

  /** A read-only lookup (`matchkey check`): same pools, same error reporting. */
  async get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<SendResult> {
    return this.exchange(url, 'GET', lowerKeys(headers), undefined, timeoutMs);
  }

  private async exchange(url: string, method: 'GET' | 'POST', headers: Record<string, string>, body: string | Buffer | undefined, timeoutMs: number): Promise<SendResult> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { error: retryable('bad_url', 'the request URL is not valid') };
    }
    try {
      const res = await this.pool(target.origin).request({
        method,
        path: target.pathname + target.search,
        headers,
        ...(body === undefined ? {} : { body }),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.body.text();
      return { response: { status: res.statusCode, headers: flattenHeaders(res.headers), body: parseBody(text) } };
    } catch (err) {
      const failure = describeNetworkError(err, target, timeoutMs);
      return { error: retryable(failure.cause === 'timeout' ? 'timeout' : 'network', failure.message) };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close().catch(() => undefined)));
    this.pools.clear();
  }
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseBody(text: string): unknown {
  if (text === '') return '';
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export type NetworkCause = 'dns' | 'refused' | 'reset' | 'tls' | 'timeout' | 'other';

/**
 * A network failure in words an operator can act on: the host and the cause (DNS, refused, TLS, timeout), e.g.
 * "graph.facebook.com:443: DNS lookup failed (ENOTFOUND)". Names host and port, never payload: safe to record.
 */
export function describeNetworkError(err: unknown, target: URL, timeoutMs: number): { cause: NetworkCause; message: string } {
  // fetch wraps the socket's error in `cause`; undici's own API throws it as is.
  const outer = err as { name?: unknown; code?: unknown; cause?: { code?: unknown; name?: unknown } };
  const code = [outer.cause?.code, outer.code, outer.cause?.name, outer.name].find((c): c is string => typeof c === 'string') ?? 'error';
  const host = target.port ? `${target.hostname}:${target.port}` : `${target.hostname}:${target.protocol === 'https:' ? 443 : 80}`;
  const cause = networkCause(code);
  const words: Record<NetworkCause, string> = {
    dns: 'DNS lookup failed',
    refused: 'connection refused',
    reset: 'connection reset',
    tls: 'TLS handshake failed',
    timeout: `no answer within ${timeoutMs} ms`,
    other: 'network error',
  };
  return { cause, message: `${host}: ${words[cause]} (${code})` };
}

function networkCause(code: string): NetworkCause {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'reset';
  if (/timeout|abort/i.test(code) || code === 'ETIMEDOUT') return 'timeout';
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code)) return 'tls';
  return 'other';
}
