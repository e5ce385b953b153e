// Where a gateway's resident memory is, phase by phase: `npx tsx bench/micro/gateway-memory.ts [events]`. A real
// `matchkey serve` (compiled dist/: run `npm run compile` first) on SQLite synchronous=FULL with the five destinations
// of the ingest benchmark paused, fed realistic purchases in batches of 100 (as bench/micro/gateway-cpu.ts). At each
// phase — started and idle, while ingesting, with every event pending and idle again — it reads
// /proc/<pid>/smaps and sorts the resident pages by what mapped them, and the main thread's V8 heap by space (the
// gateway's own /metrics, prom-client's default metrics). Anonymous mappings are told apart by shape, as glibc and
// V8 make them: a thread's malloc arena is reserved 64 MiB at a time; V8 reserves its heap in 256 KiB pages and a
// semi-space as one region; thread stacks are 8 MiB (libuv's pool) or 4 MiB (worker threads) with a guard page.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { closedLoop } from '../lib/load.js';
import { startPausedGateway } from '../lib/paused-gateway.js';

const events = Number(process.argv[2] ?? 200_000);
const MiB = 1024 * 1024;

interface Mapping {
  start: number;
  end: number;
  path: string;
  rssKb: number;
}

function mappings(pid: number): Mapping[] {
  const out: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = { start: parseInt(head[1]!, 16), end: parseInt(head[2]!, 16), path: head[3]!, rssKb: 0 };
      out.push(current);
    } else if (current && line.startsWith('Rss:')) current.rssKb = Number(/(\d+)/.exec(line)![1]);
  }
  return out;
}

/** Resident MiB by what mapped it. */
function byKind(pid: number): Record<string, number> {
  const kinds: Record<string, number> = {};
  const add = (k: string, kb: number): void => {
    kinds[k] = (kinds[k] ?? 0) + kb / 1024;
  };
  const maps = mappings(pid);
  for (let i = 0; i < maps.length; i++) {
    const m = maps[i]!;
    const size = m.end - m.start;
    if (m.path.endsWith('/node') || m.path.endsWith('/nodejs')) add('node binary', m.rssKb);
    else if (m.path.startsWith('/')) add(m.path.includes('better_sqlite3') ? 'better-sqlite3 addon' : 'other files (libc, ICU data…)', m.rssKb);
    else if (m.path === '[heap]') add('main malloc heap (brk)', m.rssKb);
    else if (m.path === '[stack]') add('main thread stack', m.rssKb);
    else if (m.path.startsWith('[')) add('other', m.rssKb);
    else {
      // An arena is one 64 MiB-aligned reservation, resident where used, the rest PROT_NONE beside it.
      const next = maps[i + 1];
      const arena = size === 64 * MiB || (m.start % (64 * MiB) === 0 && next !== undefined && next.start === m.end && next.path === '' && size + (next.end - next.start) === 64 * MiB);
      if (arena) add('thread malloc arenas (SQLite page caches, buffers)', m.rssKb);
      else if (size >= 4 * MiB - 4096 && size <= 8 * MiB + 4096 && m.rssKb < 1024) add('thread stacks', m.rssKb);
      else add('anonymous: V8 heaps, large mallocs', m.rssKb);
    }
  }
  return kinds;
}

async function v8Spaces(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const used: string[] = [];
  for (const m of text.matchAll(/^matchkey_nodejs_heap_space_size_total_bytes\{space="(\w+)"\} (\d+)/gm)) {
    const mib = Number(m[2]) / MiB;
    if (mib >= 0.5) used.push(`${m[1]} ${mib.toFixed(1)}`);
  }
  const external = /^matchkey_nodejs_external_memory_bytes (\d+)/m.exec(text);
  return `${used.join(', ')}${external ? `; external ${(Number(external[1]) / MiB).toFixed(1)}` : ''}`;
}

const { gateway, pool, bodies, next, close } = await startPausedGateway({ tag: 'gwmem', connections: 16 });

async function report(phase: string): Promise<void> {
  const kinds = byKind(gateway.pid);
  const rows = Object.entries(kinds)
    .filter(([, mib]) => mib >= 0.5)
    .sort((a, b) => b[1] - a[1])
    .map(([k, mib]) => `    ${k.padEnd(52)} ${mib.toFixed(1).padStart(6)}`);
  console.log(`${phase}: RSS ${(gateway.memory().rssKiB / 1024).toFixed(0)} MiB (load ${loadavg().map((l) => l.toFixed(2)).join(' / ')})`);
  console.log(rows.join('\n'));
  console.log(`    main thread V8 heap by space (MiB committed): ${await v8Spaces(gateway.url)}`);
}

try {
  await new Promise((r) => setTimeout(r, 1000));
  await report('started, idle');
  let sampled = false;
  const load = closedLoop([pool], { concurrency: 8, requests: Math.ceil(events / 100), eventsPerRequest: 100, body: () => bodies.batch(next(100), 100) });
  // Half-way through the ingest, while it runs.
  while (!sampled) {
    await new Promise((r) => setTimeout(r, 250));
    const sent = next(0);
    if (sent >= events / 2) {
      sampled = true;
      await report(`ingesting (${sent} events sent)`);
    }
  }
  const r = await load;
  if (r.ok !== r.requests) throw new Error(`${r.requests - r.ok} batches failed (${JSON.stringify(r.statuses)})`);
  await new Promise((r) => setTimeout(r, 2000));
  await report(`${next(0)} events pending, idle 2 s`);
} finally {
  await close();
}
