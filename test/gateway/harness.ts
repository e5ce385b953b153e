import { spawn, type ChildProcess } from 'node:child_process';
import { hash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { validateConfig, type LoadedConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/logging/logger.js';
import { shopifyHmac } from '../../src/sources/shopify/hmac.js';
import { startGateway, type RunningGateway } from '../../src/server/run.js';
import { startSimulators } from '../../src/simulators/server.js';
import { cliArgs } from '../../src/cli/testing/cli-args.js';

// End-to-end harness: real SQLite files in a temp dir, real HTTP on loopback, the platform simulators, and the
// gateway either in-process (startGateway, the same runner `matchkey serve` uses) or as a child process.

export const INGEST_KEY = 'test-ingest-key-0123456789';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const SHOPIFY_SECRET = 'shopify-current-secret';
export const SHOPIFY_OLD_SECRET = 'shopify-previous-secret';
export const SECRET_KEY = 'cd'.repeat(32);
export const ROOT = new URL('../../', import.meta.url).pathname;

export const sha256 = (s: string): string => hash('sha256', s, 'hex');

export function tempDir(prefix = 'mk-gw-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function fixture(name: string): string {
  return readFileSync(join(ROOT, 'test/fixtures/shopify', name), 'utf8');
}

/**
 * A fixture order dated `ageSec` ago (platforms refuse old events; Meta after 7 days), with `id` replaced when
 * given. Re-serialized with indentation, as Shopify sends it; the HMAC is computed over these exact bytes.
 */
export function freshOrder(name: string, opts: { ageSec?: number; id?: number } = {}): { raw: string; processedAt: string } {
  const order = JSON.parse(fixture(name)) as Record<string, unknown>;
  const processedAt = new Date(Math.floor(Date.now() / 1000 - (opts.ageSec ?? 120)) * 1000).toISOString().replace('.000Z', '+00:00');
  order.processed_at = processedAt;
  order.created_at = processedAt;
  if (opts.id !== undefined) order.id = opts.id;
  return { raw: JSON.stringify(order, null, 2), processedAt };
}

export type Sim = Awaited<ReturnType<typeof startSimulators>>;

export async function startSim(): Promise<Sim> {
  return startSimulators({ host: '127.0.0.1', port: 0 });
}

export interface SimRecord {
  seq: number;
  platform: string | null;
  path: string;
  query: Record<string, unknown>;
  headers?: Record<string, unknown>;
  body?: any;
  event_count: number;
  received_at: number;
  status: number;
  behaviour?: string;
  before_retry_after?: true;
}

export async function simRequests(sim: Sim, platform: string): Promise<SimRecord[]> {
  const res = await fetch(`${sim.url}/_sim/requests?platform=${platform}`);
  const body = (await res.json()) as SimRecord[] | { requests: SimRecord[] };
  return Array.isArray(body) ? body : body.requests;
}

/** Only the upload requests (the Google OAuth token exchange is recorded too). */
export async function simUploads(sim: Sim, platform: string): Promise<SimRecord[]> {
  return (await simRequests(sim, platform)).filter((r) => !/token/.test(r.path));
}

export async function simBehaviour(sim: Sim, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sim.url}/_sim/behaviour`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sim behaviour ${res.status}: ${await res.text()}`);
}

export type DestinationName = 'meta' | 'tiktok' | 'pinterest' | 'google' | 'klaviyo' | 'ga4' | 'snapchat' | 'microsoft' | 'reddit';

export function destinationsFor(simUrl: string, names: DestinationName[] = ['meta', 'tiktok', 'pinterest', 'google', 'klaviyo']): Record<string, unknown>[] {
  const all: Record<DestinationName, Record<string, unknown>> = {
    meta: { id: 'meta', platform: 'meta', pixel_id: '1234567890123456', access_token: 'meta-token' },
    tiktok: { id: 'tiktok', platform: 'tiktok', pixel_code: 'CTEST0000000000000', access_token: 'tiktok-token' },
    pinterest: { id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'pinterest-token' },
    google: {
      id: 'google',
      platform: 'google',
      customer_id: '1234567890',
      conversion_actions: { purchase: '987654321' },
      oauth: { client_id: 'cid', client_secret: 'csecret', refresh_token: 'rtoken' },
      status_check_after_sec: 0,
    },
    klaviyo: { id: 'klaviyo', platform: 'klaviyo', api_key: 'pk_test_0000000000' },
    snapchat: { id: 'snapchat', platform: 'snapchat', pixel_id: 'snap-pixel-1', access_token: 'snapchat-token' },
    microsoft: { id: 'microsoft', platform: 'microsoft', tag_id: '343210987', access_token: 'microsoft-token' },
    reddit: { id: 'reddit', platform: 'reddit', pixel_id: 'a2_testpixel', access_token: 'reddit-token' },
    ga4: { id: 'ga4', platform: 'ga4', measurement_id: 'G-TEST000000', api_secret: 'ga4-test-secret' },
  };
  return names.map((n) => ({ ...all[n], base_url: simUrl }));
}

export function configObject(dir: string, destinations: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port: 0 },
    storage: { url: `sqlite:${join(dir, 'matchkey.db')}` },
    admin_token: ADMIN_TOKEN,
    sources: { api_keys: [INGEST_KEY], shopify: { webhook_secrets: [SHOPIFY_OLD_SECRET, SHOPIFY_SECRET] } },
    destinations,
    ...extra,
  };
}

export interface InProcessGateway extends RunningGateway {
  dir: string;
  dbPath: string;
  logPath: string;
  config: LoadedConfig;
}

/** The gateway in this process, logging (JSON) to <dir>/gateway.log. */
export async function startInProcess(dir: string, raw: Record<string, unknown>): Promise<InProcessGateway> {
  const config = validateConfig(raw, 'test', {});
  const logPath = join(dir, 'gateway.log');
  const logger = createLogger({ level: 'debug', destination: pino.destination({ dest: logPath, sync: true }) });
  const gateway = await startGateway({ config, logger, env: { MATCHKEY_SECRET_KEY: SECRET_KEY } });
  return Object.assign(gateway, { dir, dbPath: join(dir, 'matchkey.db'), logPath, config });
}

export async function postEvents(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function postShopify(
  url: string,
  rawBody: string,
  opts: { topic: string; webhookId?: string; secret?: string | null; hmac?: string },
): Promise<{ status: number; body: any; ms: number }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-shopify-topic': opts.topic, 'x-shopify-shop-domain': 'shop.myshopify.com' };
  if (opts.webhookId) headers['x-shopify-webhook-id'] = opts.webhookId;
  if (opts.hmac !== undefined) headers['x-shopify-hmac-sha256'] = opts.hmac;
  else if (opts.secret !== null) headers['x-shopify-hmac-sha256'] = shopifyHmac(rawBody, opts.secret ?? SHOPIFY_SECRET);
  const started = Date.now();
  const res = await fetch(`${url}/webhooks/shopify`, { method: 'POST', headers, body: rawBody });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, ms: Date.now() - started };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface DeliveryRow {
  event_id: string;
  destination_id: string;
  status: string;
  attempts: number;
  skip_reason: string | null;
  last_error_code: string | null;
}

/** Reads the deliveries straight from the SQLite file (read-only), to check statuses end to end: by event, then destination. */
export function deliveryRows(dbPath: string): DeliveryRow[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        // A first try still waiting is a queue entry, not a row (src/outbox/sqlite/migrations/009_delivery_queue.sql).
        `SELECT event_id, destination_id, status, attempts, skip_reason, last_error_code FROM (
           SELECT e.id AS ref, e.event_id, d.destination_id, d.status, d.attempts, d.skip_reason, d.last_error_code
             FROM deliveries d JOIN events e ON e.id = d.event_ref
           UNION ALL
           SELECT e.id, e.event_id, v.destination_id, v.status, v.attempts, NULL, NULL
             FROM queued_deliveries v JOIN events e ON e.id = v.event_ref
         ) ORDER BY ref, destination_id`,
      )
      .all() as DeliveryRow[];
  } finally {
    db.close();
  }
}

export function countRows(dbPath: string, table: 'events' | 'deliveries' | 'orders' | 'webhooks'): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    // Deliveries: rows and first tries still queued (src/outbox/sqlite/migrations/009_delivery_queue.sql).
    const sql = table === 'deliveries' ? 'SELECT (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM delivery_queue) AS n' : `SELECT count(*) AS n FROM ${table}`;
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A canonical purchase dated `ageSec` ago. */
export function purchase(id: string, opts: { ageSec?: number; email?: string; extra?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    event_id: id,
    event_name: 'purchase',
    event_time: Math.floor(Date.now() / 1000) - (opts.ageSec ?? 60),
    event_source_url: 'https://shop.example/checkouts/thank_you',
    user: {
      email: opts.email ?? `${id}@example.com`,
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
      external_id: `cust-${id}`,
    },
    commerce: { order_id: id, value: 10, currency: 'USD' },
    ...opts.extra,
  };
}

export interface ChildGateway {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `matchkey serve …` (the sources, cliArgs) as a real child process; resolves once it prints its address. */
export async function spawnServe(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<ChildGateway> {
  const child = spawn(process.execPath, cliArgs(['serve', ...args]), {
    cwd,
    env: { ...process.env, MATCHKEY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => (done = true));
  const url = await waitFor(
    'the gateway to listen',
    () => {
      if (done) throw new Error(`exited early: ${err || out}`);
      return /matchkey listening on (http:\/\/\S+)/.exec(out)?.[1];
    },
    60_000,
  ).catch((e: Error) => {
    child.kill('SIGKILL');
    throw e;
  });
  return { child, url, stdout: () => out, stderr: () => err, exited };
}

/** Runs `matchkey <args>` (the sources, cliArgs) to completion. */
export async function runCli(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, cliArgs(args), { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, stdout, stderr };
}

export function writeConfig(dir: string, raw: Record<string, unknown>): string {
  const path = join(dir, 'matchkey.config.json');
  writeFileSync(path, JSON.stringify(raw, null, 2));
  return path;
}
