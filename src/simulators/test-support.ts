import { hash } from 'node:crypto';
import { startSimulators, type RunningSimulators, type SimulatorOptions } from './server.js';

// Real HTTP against a simulator on 127.0.0.1 with an ephemeral port, for the simulator tests.

export interface SimResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body; undefined when the body is empty. */
  json: any;
}

export interface SimClient {
  sim: RunningSimulators;
  request(method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string>; form?: Record<string, string> }): Promise<SimResponse>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<SimResponse>;
  get(path: string): Promise<SimResponse>;
  close(): Promise<void>;
}

export async function startSimClient(opts: SimulatorOptions = {}): Promise<SimClient> {
  const sim = await startSimulators({ host: '127.0.0.1', port: 0, ...opts });
  async function request(method: string, path: string, o: { body?: unknown; headers?: Record<string, string>; form?: Record<string, string> } = {}): Promise<SimResponse> {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    let body: string | undefined;
    if (o.form) {
      body = new URLSearchParams(o.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    } else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(sim.url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
  }
  return {
    sim,
    request,
    post: (path, body, headers) => request('POST', path, { body, ...(headers ? { headers } : {}) }),
    get: (path) => request('GET', path),
    close: () => sim.close(),
  };
}

/** SHA-256 hex of a normalized value, as a builder would send it. */
export function sha256(normalized: string): string {
  return hash('sha256', normalized);
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}
