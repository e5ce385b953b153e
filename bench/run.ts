// `npm run bench [-- --quick] [-- --no-fail] [-- --only transform,ingest,backlog,postgres,footprint] [-- --no-write]`
// Prints every figure, writes them with the machine and the date into docs/BENCHMARKS.md (the generated section
// only), and exits 1 when a promise of docs/BENCHMARKS.md "Targets" is missed (--no-fail: exploration, exit 0).
// Loopback only; every loop is bounded by an event count or a deadline.
import { join } from 'node:path';
import { createScratchDatabase } from '../src/outbox/postgres/testing/database.js';
import { runBacklog, type BacklogFigures } from './backlog.js';
import { runFootprint, type FootprintFigures } from './footprint.js';
import { runIngest, type IngestFigures } from './ingest.js';
import { ROOT } from './lib/gateway.js';
import { describeMachine, loadNow, machineInfo } from './lib/machine.js';
import { writeSection } from './lib/report.js';
import { SimClient, startSimulatorsChild } from './lib/simulators.js';
import { renderBenchmarks, renderFootprint, BENCHMARKS_SKELETON } from './render.js';
import { judge } from './targets.js';
import { runTransform, type TransformFigures } from './transform.js';

const AREAS = ['transform', 'ingest', 'backlog', 'postgres', 'footprint'] as const;
type Area = (typeof AREAS)[number];

export interface BenchResults {
  quick: boolean;
  machine: ReturnType<typeof machineInfo>;
  loads: Record<string, string>;
  transform?: TransformFigures;
  ingest?: IngestFigures;
  backlog?: BacklogFigures[];
  postgres?: BacklogFigures[];
  footprint?: FootprintFigures;
  errors: string[];
}

function parseArgs(argv: string[]): { quick: boolean; fail: boolean; write: boolean; areas: Set<Area> } {
  const only = argv.find((a) => a.startsWith('--only'));
  let list: string[] = [...AREAS];
  if (only) list = (only.includes('=') ? only.split('=')[1]! : argv[argv.indexOf(only) + 1] ?? '').split(',');
  for (const a of list) if (!(AREAS as readonly string[]).includes(a)) throw new Error(`--only: unknown area "${a}" (areas: ${AREAS.join(', ')})`);
  const areas = new Set(list as Area[]);
  if (argv.includes('--no-postgres')) areas.delete('postgres');
  return { quick: argv.includes('--quick'), fail: !argv.includes('--no-fail'), write: !argv.includes('--no-write'), areas };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const results: BenchResults = { quick: args.quick, machine: machineInfo(), loads: {}, errors: [] };
  log(`matchkey bench${args.quick ? ' (quick)' : ''} — ${describeMachine(results.machine)}; load average ${loadNow()}`);

  const step = async (area: Area, fn: () => Promise<void>): Promise<void> => {
    if (!args.areas.has(area)) return;
    results.loads[area] = loadNow();
    log(`\n== ${area} (load average ${results.loads[area]})`);
    try {
      await fn();
    } catch (err) {
      const message = `${area}: ${(err as Error).stack ?? String(err)}`;
      results.errors.push(message);
      log(`  FAILED: ${message}`);
    }
  };

  await step('transform', async () => {
    const t = runTransform(args.quick ? 20_000 : 50_000);
    results.transform = t;
    log(`  raw → Meta body: ${Math.round(t.metaEventsPerSec)} events/s; raw → all ${t.platforms.length} bodies (${t.platforms.join(', ')}): ${Math.round(t.allEventsPerSec)} events/s`);
    log(`  CPU µs/event: Meta pass ${t.cpuUsPerEvent.meta}, all-platforms pass ${t.cpuUsPerEvent.all}`);
    log(`  CPU µs/event by stage: parse ${t.stagesUs.parse}, hashOnce ${t.stagesUs.hashOnce}, build ${Object.entries(t.stagesUs.build).map(([p, v]) => `${p} ${v}`).join(', ')}`);
  });

  const needsSim = args.areas.has('ingest') || args.areas.has('backlog') || args.areas.has('postgres') || args.areas.has('footprint');
  const simChild = needsSim ? await startSimulatorsChild('summary') : undefined;
  const sim = simChild ? new SimClient(simChild.url) : undefined;
  try {
    await step('ingest', async () => {
      results.ingest = await runIngest(sim!, { quick: args.quick, log });
    });
    await step('backlog', async () => {
      results.backlog = [];
      for (const events of args.quick ? [10_000, 50_000] : [10_000, 100_000, 1_000_000]) {
        log(`  -- SQLite, ${events.toLocaleString('en-US')} events`);
        results.backlog.push(await runBacklog({ sim: sim!, events, instances: 1, storage: 'sqlite', log }));
      }
    });
    await step('postgres', async () => {
      results.postgres = [];
      for (const instances of [1, 3]) {
        const db = await createScratchDatabase('matchkey_bench');
        try {
          const events = args.quick ? 20_000 : 100_000;
          log(`  -- PostgreSQL, ${instances} instance(s), ${events.toLocaleString('en-US')} events`);
          results.postgres.push(await runBacklog({ sim: sim!, events, instances, storage: { postgresUrl: db.url }, log }));
        } finally {
          await db.drop();
        }
      }
    });
    await step('footprint', async () => {
      results.footprint = await runFootprint(sim!, { quick: args.quick, log });
    });
  } finally {
    await simChild?.close();
  }

  const largestSqlite = results.backlog?.at(-1);
  const drainFigure = results.backlog?.find((b) => b.events === 100_000) ?? largestSqlite;
  const verdicts = judge({
    'transform.meta': results.transform?.metaEventsPerSec,
    'ingest.single': results.ingest?.single.eventsPerSec,
    'ingest.batched': results.ingest?.batched.eventsPerSec,
    'ingest.p99at5000': results.ingest?.openLoop.find((r) => r.offeredPerSec === 5000)?.latency.p99,
    drain: drainFigure?.drained ? drainFigure.drainDeliveriesPerSec : undefined,
    ...footprintValues(results.footprint),
  }).filter((v) => v.value !== undefined || isMeasured(v.target.id, args.areas));

  log('\n== targets');
  for (const v of verdicts) {
    const bound = v.target.min !== undefined ? `≥ ${v.target.min.toLocaleString('en-US')}` : `≤ ${v.target.max}`;
    log(`  ${v.ok ? 'ok  ' : 'MISS'} ${v.target.what}: ${v.value === undefined ? 'not measured' : Math.round(v.value * 10) / 10} ${v.target.unit} (${bound})`);
  }
  if (results.footprint) for (const line of renderFootprint(results.footprint, verdicts, results.machine).split('\n')) log(line);
  if (args.write) {
    const path = join(ROOT, 'docs/BENCHMARKS.md');
    // Footprint has its own section, so `--only footprint` leaves the other areas' figures as they are (and back).
    const general = verdicts.filter((v) => !v.target.id.startsWith('footprint.'));
    if ([...args.areas].some((a) => a !== 'footprint')) writeSection(path, 'bench', renderBenchmarks(results, general), BENCHMARKS_SKELETON);
    if (results.footprint) writeSection(path, 'footprint', renderFootprint(results.footprint, verdicts, results.machine), BENCHMARKS_SKELETON);
    log(`\nfigures written to ${path}`);
  }
  const missed = verdicts.filter((v) => !v.ok).length;
  if (results.errors.length > 0) log(`${results.errors.length} area(s) failed to run`);
  if (!args.fail) return 0;
  return missed > 0 || results.errors.length > 0 ? 1 : 0;
}

/** The footprint figures judged against bench/targets.ts (MiB for RSS: the targets are in MiB). */
function footprintValues(f: FootprintFigures | undefined): Record<string, number | undefined> {
  if (!f) return {};
  const mib = (kib: number): number => kib / 1024;
  return {
    'footprint.cpuBatched': f.batched.cpuUsPerEvent,
    'footprint.cpuSingle': f.single.cpuUsPerEvent,
    'footprint.rssIngest': mib(f.rss.ingest.peakKiB),
    'footprint.rssPending': mib(f.rss.pending.peakKiB),
    'footprint.rssDrain': f.drain.drained ? mib(f.rss.drain.peakKiB) : undefined,
    'footprint.rssSnapshot': f.snapshot.taken ? mib(f.rss.snapshot.peakKiB) : undefined,
    'footprint.diskPerEvent': f.diskBytesPerEvent,
    'footprint.metrics': f.metrics.cpuMs,
  };
}

function isMeasured(id: string, areas: Set<Area>): boolean {
  if (id.startsWith('footprint')) return areas.has('footprint');
  if (id.startsWith('transform')) return areas.has('transform');
  if (id.startsWith('ingest')) return areas.has('ingest');
  return areas.has('backlog');
}

process.exitCode = await main();
