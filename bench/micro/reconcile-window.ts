// One reconciliation of the gateway's order log (GET /api/reconcile, as the dashboard asks it) over a store file of
// paid orders with their purchases and three destinations, built by `npx tsx bench/micro/alert-share.ts build <file>
// [orders]` (all paid in the last day, so the default 30-day window holds them all):
//   npx tsx bench/micro/reconcile-window.ts here|thread <file>
// `here` runs it on this thread, as the route did before; `thread` in the gateway's read thread (gatewayReads). Prints
// the wall time, the longest event-loop delay of this thread meanwhile, and the process's RSS: before, its peak
// (sampled every 50 ms) and 6 s after (the read thread ends once idle for 5 s).
import { readFileSync } from 'node:fs';
import { gatewayReads } from '../../src/diagnostics/diagnose-in-thread.js';
import { openStore } from '../../src/outbox/open.js';
import { reconcile, resolveWindow } from '../../src/reconcile/run.js';
const [where, file] = process.argv.slice(2);
if ((where !== 'here' && where !== 'thread') || !file) {
  console.error('usage: reconcile-window.ts here|thread <file built by alert-share.ts build>');
  process.exit(2);
}
const url = `sqlite:${file}`;
const store = await openStore(url);
const window = resolveWindow({ as_of: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) });
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
let peak = 0;
const sampler = setInterval(() => { peak = Math.max(peak, rss()); }, 50);
const r0 = rss();
// The longest gap between ticks of a 10 ms timer on this thread: how long ingest and webhooks would have waited.
let last = performance.now();
let maxGap = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - last);
  last = now;
}, 10);
const t0 = performance.now();
const input = { window, orders: 'internal' as const, attributed: [] };
const report = where === 'thread' ? await gatewayReads(store, url, []).reconcile(input) : await reconcile({ ...input, store });
const wall = performance.now() - t0;
await new Promise((r) => setTimeout(r, 20)); // the tick that ends a stall
clearInterval(ticker);
await new Promise((r) => setTimeout(r, 6000)); // the idle thread ends after 5 s
console.log(`${where}: wall ${wall.toFixed(0)} ms; longest event-loop gap ${maxGap.toFixed(0)} ms; RSS ${r0.toFixed(0)} -> peak ${peak.toFixed(0)} MiB, after 6 s ${rss().toFixed(0)} MiB; ${report.orders_of_record.count} orders`);
clearInterval(sampler);
await store.close();
