import { spawn } from 'node:child_process';
import { ROOT } from './gateway.js';
import { procCpuMs } from './gateway.js';

// The platform simulators in their own process for the benchmarks (so the simulated platforms do not share
// the gateway's or the load generator's event loop), and a small client for their control API (/_sim/…).

export interface SimulatorsChild {
  url: string;
  pid: number;
  cpuMs(): number;
  close(): Promise<void>;
}

export async function startSimulatorsChild(record: 'full' | 'summary' = 'summary'): Promise<SimulatorsChild> {
  const script = `const {startSimulators}=await import(${JSON.stringify(`${ROOT}src/simulators/server.ts`)});` +
    `const s=await startSimulators({host:'127.0.0.1',port:0,record:${JSON.stringify(record)}});console.log(s.url);` +
    `process.on('SIGTERM',()=>s.close().then(()=>process.exit(0)));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulators exited (${code}) before listening`)));
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
  });
  child.stdout!.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    cpuMs: () => procCpuMs(child.pid!),
    async close() {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface PlatformTotals {
  requests: number;
  events_received: number;
  events_accepted: number;
  events_rejected: number;
  rate_limited: number;
  server_errors: number;
  early_requests: number;
  by_status: Record<string, number>;
}

export interface PlatformTimeline {
  request_times_ms: number[];
  rate_limits: { at_ms: number; retry_after_s: number; not_before_ms: number }[];
  early_requests: number;
}

export class SimClient {
  constructor(readonly url: string) {}

  async behaviour(sw: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.url}/_sim/behaviour`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sw) });
    if (!res.ok) throw new Error(`simulator behaviour ${res.status}: ${await res.text()}`);
  }

  async normal(): Promise<void> {
    await fetch(`${this.url}/_sim/behaviour`, { method: 'DELETE' });
  }

  async clear(): Promise<void> {
    await fetch(`${this.url}/_sim/requests`, { method: 'DELETE' });
  }

  async totals(): Promise<Record<string, PlatformTotals>> {
    const res = await fetch(`${this.url}/_sim/stats`);
    return ((await res.json()) as { totals: Record<string, PlatformTotals> }).totals;
  }

  async timeline(platform: string): Promise<PlatformTimeline> {
    const res = await fetch(`${this.url}/_sim/timeline?platform=${platform}`);
    return ((await res.json()) as Record<string, PlatformTimeline>)[platform]!;
  }
}
