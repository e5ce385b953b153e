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
    const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    const headers = { 'content-type': 'application/json', ...lowerKeys(request.headers) };
    return this.exchange(request.url, request.method, headers, body, timeoutMs);
  }

  async postForm(url: string, form: Record<string, string>, timeoutMs: number): Promise<SendResult> {
    return this.exchange(url, 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams(form).toString(), timeoutMs);
  }

  private async exchange(url: string, method: 'POST' | 'GET', headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<SendResult> {
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
      const e = err as { name?: unknown; code?: unknown };
      const name = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'error';
      const timedOut = /timeout|abort/i.test(`${String(e.code)} ${String(e.name)}`);
      // The error text of a network failure names hosts and ports, never payload: safe to record.
      return { error: retryable(timedOut ? 'timeout' : 'network', timedOut ? `no answer within ${timeoutMs} ms` : `network error (${name})`) };
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
