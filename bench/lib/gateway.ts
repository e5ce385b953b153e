import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

// The gateway as operators run it: `node bin/matchkey.js serve --config FILE` in its own process, so figures
// include the HTTP layer, the durable commit and the process's own memory, and so chaos can SIGKILL it.

export const ROOT = new URL('../../', import.meta.url).pathname;
export const INGEST_KEY = 'bench-ingest-key-0123456789abcdef';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const SHOPIFY_SECRET = 'bench-shopify-secret-current';
export const SECRET_KEY = 'ab'.repeat(32);

export type DestinationName = 'meta' | 'tiktok' | 'pinterest' | 'google' | 'klaviyo';
export type TransformPlatform = DestinationName | 'snapchat' | 'microsoft' | 'reddit';
export const BATCH_PLATFORMS: DestinationName[] = ['meta', 'tiktok', 'pinterest'];
export const ALL_PLATFORMS: DestinationName[] = ['meta', 'tiktok', 'pinterest', 'google', 'klaviyo'];
/** Every platform, for the transform figures. */
export const TRANSFORM_PLATFORMS: TransformPlatform[] = [...ALL_PLATFORMS, 'snapchat', 'microsoft', 'reddit'];

export function destinations(simUrl: string, names: readonly TransformPlatform[]): Record<string, unknown>[] {
  const all: Record<TransformPlatform, Record<string, unknown>> = {
    meta: { id: 'meta', platform: 'meta', pixel_id: '1234567890123456', access_token: 'meta-token' },
    tiktok: { id: 'tiktok', platform: 'tiktok', pixel_code: 'CBENCH00000000000', access_token: 'tiktok-token' },
    pinterest: { id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'pinterest-token' },
    google: {
      id: 'google',
      platform: 'google',
      customer_id: '1234567890',
      conversion_actions: { purchase: '987654321' },
      oauth: { client_id: 'cid', client_secret: 'csecret', refresh_token: 'rtoken' },
      // Data Manager API: accepted requests are checked at once against the simulator.
      status_check_after_sec: 0,
    },
    klaviyo: { id: 'klaviyo', platform: 'klaviyo', api_key: 'pk_bench_0000000000' },
    snapchat: { id: 'snapchat', platform: 'snapchat', pixel_id: 'bench-snap-pixel', access_token: 'snapchat-token' },
    microsoft: { id: 'microsoft', platform: 'microsoft', tag_id: '343210987', access_token: 'microsoft-token' },
    reddit: { id: 'reddit', platform: 'reddit', pixel_id: 'a2_benchpixel', access_token: 'reddit-token' },
  };
  return names.map((n) => ({ ...all[n], base_url: simUrl }));
}

export interface GatewayConfigOptions {
  storageUrl: string;
  simUrl: string;
  platforms: readonly DestinationName[];
  port?: number;
  extra?: Record<string, unknown>;
}

export function writeGatewayConfig(dir: string, o: GatewayConfigOptions, name = 'matchkey.config.json'): string {
  const path = join(dir, name);
  const config = {
    server: { host: '127.0.0.1', port: o.port ?? 0 },
    storage: { url: o.storageUrl },
    admin_token: ADMIN_TOKEN,
    sources: { api_keys: [INGEST_KEY], shopify: { webhook_secrets: [SHOPIFY_SECRET] } },
    destinations: destinations(o.simUrl, o.platforms),
    ...o.extra,
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** A free loopback port (chaos restarts the gateway on the same one, so senders keep their address). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface GatewayProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** The last 256 KiB of stdout+stderr (all of it goes to `logPath` when given). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  /** Resident set size now and its high-water mark, in KiB (Linux /proc). */
  memory(): { rssKiB: number; hwmKiB: number };
  /** User + system CPU time consumed so far, in ms (Linux /proc). */
  cpuMs(): number;
  /** SIGTERM and wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): Promise<void>;
}

export interface SpawnGatewayOptions {
  configPath: string;
  env?: Record<string, string>;
  /** Appends everything the process prints (its log) to this file. */
  logPath?: string;
  logLevel?: string;
  startTimeoutMs?: number;
  /** Node options before the script (e.g. `--cpu-prof`, which NODE_OPTIONS does not allow). */
  nodeArgs?: string[];
}

export async function spawnGateway(o: SpawnGatewayOptions): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), join(ROOT, 'bin/matchkey.js'), 'serve', '--config', o.configPath], {
    cwd: ROOT,
    env: { ...process.env, MATCHKEY_SECRET_KEY: SECRET_KEY, MATCHKEY_LOG_LEVEL: o.logLevel ?? 'warn', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  let file: WriteStream | undefined;
  if (o.logPath) file = createWriteStream(o.logPath, { flags: 'a' });
  const onData = (d: Buffer): void => {
    file?.write(d);
    tail += d.toString();
    if (tail.length > 512 * 1024) tail = tail.slice(-256 * 1024);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running = false;
      // The pipes may still hold the last lines: close the file once they are drained.
      setTimeout(() => file?.end(), 50);
      resolve({ code, signal });
    }),
  );
  const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
  let url: string | undefined;
  while (!url) {
    url = /matchkey listening on (http:\/\/\S+)/.exec(tail)?.[1];
    if (url) break;
    if (!running) throw new Error(`gateway exited before listening: ${tail.slice(-2000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway did not start within ${o.startTimeoutMs ?? 30_000} ms: ${tail.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const pid = child.pid!;
  return {
    child,
    pid,
    url,
    output: () => tail,
    exited,
    isRunning: () => running,
    memory: () => procMemory(pid),
    cpuMs: () => procCpuMs(pid),
    async stop(graceMs = 40_000) {
      if (running) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    async kill() {
      if (running) child.kill('SIGKILL');
      await exited;
    },
  };
}

export function procMemory(pid: number): { rssKiB: number; hwmKiB: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
  } catch {
    return { rssKiB: Number.NaN, hwmKiB: Number.NaN };
  }
}

/** utime + stime of /proc/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms on Linux). */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time of the process's live threads, in ns (the first field of /proc/<pid>/task/<tid>/schedstat): nanosecond
 * resolution where procCpuMs counts 10 ms ticks, for readings of a few ms. A thread that exits between two readings
 * takes its time with it, so over long windows (or across a worker thread's life) procCpuMs is the one to use.
 */
export function procThreadsCpuNs(pid: number): number {
  let total = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // The thread exited while we read.
      }
    }
    return total;
  } catch {
    return Number.NaN;
  }
}
