// The gateway's own CPU per acknowledged event, by thread: `npx tsx bench/micro/gateway-cpu.ts [batchEvents]
// [singleEvents] [--cpu-prof DIR]`. A real `matchkey serve` (compiled dist/: run `npm run compile` first) on SQLite
// synchronous=FULL with the five destinations of the ingest benchmark paused (bench/ingest.ts), fed realistic
// purchases (bench/fixtures.ts) in batches of 100 and as single-event POSTs. CPU comes from /proc/<pid>/task/*/stat,
// so the load generator's share of the shared cores is not counted, and the HTTP (main) thread is told apart from the
// writer thread and the rest. With --cpu-prof the gateway writes V8 CPU profiles (one per thread) into DIR at exit.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { closedLoop } from '../lib/load.js';
import { startPausedGateway } from '../lib/paused-gateway.js';

const args = process.argv.slice(2);
const profIndex = args.indexOf('--cpu-prof');
const profDir = profIndex >= 0 ? args.splice(profIndex, 2)[1] : undefined;
const batchEvents = Number(args[0] ?? 100_000);
const singleEvents = Number(args[1] ?? 20_000);

/** CPU ms per thread id (utime + stime, clock ticks of 10 ms; stime alone as sysMs), with the thread's name. */
function threadCpu(pid: number): Map<number, { name: string; ms: number; sysMs: number }> {
  const out = new Map<number, { name: string; ms: number; sysMs: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), { name, ms: (Number(fields[11]) + Number(fields[12])) * 10, sysMs: Number(fields[12]) * 10 });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

function perEvent(pid: number, before: Map<number, { name: string; ms: number; sysMs: number }>, events: number): { all: number; main: number; threads: string } {
  const after = threadCpu(pid);
  let all = 0;
  let main = 0;
  const rows: { tid: number; name: string; us: number; sysUs: number }[] = [];
  for (const [tid, t] of after) {
    const us = ((t.ms - (before.get(tid)?.ms ?? 0)) * 1000) / events;
    all += us;
    if (tid === pid) main = us;
    const sysUs = ((t.sysMs - (before.get(tid)?.sysMs ?? 0)) * 1000) / events;
    if (us >= 0.5) rows.push({ tid, name: tid === pid ? 'main' : t.name, us, sysUs });
  }
  rows.sort((a, b) => b.us - a.us);
  return { all, main, threads: rows.map((r) => `${r.name}#${r.tid} ${r.us.toFixed(1)} (sys ${r.sysUs.toFixed(1)})`).join(', ') };
}

const { gateway, pool, bodies, next, close } = await startPausedGateway({ tag: 'gwcpu', connections: 64, ...(profDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`] } : {}) });
try {
  await closedLoop([pool], { concurrency: 32, requests: 3000, eventsPerRequest: 1, body: () => bodies.one(next()) });
  await closedLoop([pool], { concurrency: 8, requests: 100, eventsPerRequest: 100, body: () => bodies.batch(next(100), 100) });

  const report = (label: string, events: number, seconds: number, before: Map<number, { name: string; ms: number; sysMs: number }>): void => {
    const r = perEvent(gateway.pid, before, events);
    console.log(`${label}: ${events} events in ${seconds.toFixed(1)} s; gateway CPU ${r.all.toFixed(1)} µs/event, main thread ${r.main.toFixed(1)} µs/event (load ${loadavg().map((l) => l.toFixed(2)).join(' / ')})`);
    console.log(`  by thread (µs/event): ${r.threads}`);
  };
  if (batchEvents > 0) {
    const before = threadCpu(gateway.pid);
    const r = await closedLoop([pool], { concurrency: 8, requests: Math.ceil(batchEvents / 100), eventsPerRequest: 100, body: () => bodies.batch(next(100), 100) });
    if (r.ok !== r.requests) throw new Error(`batches: ${r.requests - r.ok} failed (${JSON.stringify(r.statuses)})`);
    report('batches of 100, 8 concurrent', r.events, r.seconds, before);
  }
  if (singleEvents > 0) {
    const before = threadCpu(gateway.pid);
    const r = await closedLoop([pool], { concurrency: 64, requests: singleEvents, eventsPerRequest: 1, body: () => bodies.one(next()) });
    if (r.ok !== r.requests) throw new Error(`single: ${r.requests - r.ok} failed (${JSON.stringify(r.statuses)})`);
    report('single-event POSTs, 64 concurrent', r.events, r.seconds, before);
  }
} finally {
  await close();
}
