// Delivery drain rate: N stored events × Meta/TikTok/Pinterest destinations, worker against the simulators
// (in a child process, so the worker and the simulated platforms each get a core). `npx tsx bench/delivery.ts [N]`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCanonicalEvent } from '../src/event/parse.js';
import { hashOnce } from '../src/identity/hash-once.js';
import { openStore } from '../src/outbox/open.js';
import { PLATFORMS } from '../src/platforms/registry.js';
import type { CommonSettings } from '../src/platforms/types.js';
import { planDeliveries } from '../src/delivery/plan.js';
import { startDeliveryWorker } from '../src/delivery/worker.js';

const N = Number(process.argv[2] ?? 50_000);
const child = spawn(process.execPath, ['--import', 'tsx', '-e', "const {startSimulators}=await import('./src/simulators/server.ts');const s=await startSimulators({port:0,record:'summary'});console.log(s.url);"], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const simUrl = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));

const dir = mkdtempSync(join(tmpdir(), 'mk-bench-delivery-'));
const store = await openStore(`sqlite:${join(dir, 'outbox.db')}`, { secretKey: randomBytes(32) });
const destinations = [
  { id: 'meta', platform: 'meta', pixel_id: '123456', access_token: 'tok' },
  { id: 'tiktok', platform: 'tiktok', pixel_code: 'C123ABC', access_token: 'tok' },
  { id: 'pinterest', platform: 'pinterest', ad_account_id: '549', access_token: 'tok' },
].map((r) => PLATFORMS[r.platform as CommonSettings['platform']].settingsSchema.parse({ ...r, base_url: simUrl }) as CommonSettings);

const now = Math.floor(Date.now() / 1000) - 60;
for (let start = 0; start < N; start += 1000) {
  const items = [];
  for (let i = start; i < Math.min(N, start + 1000); i++) {
    const event = hashOnce(
      parseCanonicalEvent({
        event_id: `order_${i}`,
        event_name: 'purchase',
        event_time: now,
        event_source_url: 'https://shop.example/checkouts/thank_you',
        user: { email: `s${i}@example.com`, phone: '+16505551212', client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0 bench' },
        commerce: { value: 59.9, currency: 'USD', order_id: String(i), items: [{ id: 'SKU-1', quantity: 1, price: 59.9 }] },
      }),
    );
    items.push({ event, source: 'api' as const, test: false, deliveries: planDeliveries(event, destinations, { test: false, source: 'api' }) });
  }
  await store.ingest(items);
}
const total = N * destinations.length;
console.log(`stored ${N} events → ${total} deliveries; draining…`);
const t0 = performance.now();
const worker = startDeliveryWorker({ store, destinations, delivery: { max_attempts: 12, max_hours: 24, request_timeout_ms: 10_000 }, rateLimits: { meta: { per_second: 1000 }, tiktok: { per_second: 1000 }, pinterest: { per_second: 1000 } } });
for (;;) {
  const c = await store.counts(Date.now());
  const open = c.reduce((n, d) => n + d.pending + d.retrying, 0);
  if (open === 0) break;
  await new Promise((r) => setTimeout(r, 50));
}
const secs = (performance.now() - t0) / 1000;
await worker.stop();
const counts = await store.counts(Date.now());
console.log(counts.map((c) => `${c.destination_id}: delivered ${c.delivered} rejected ${c.rejected} dead ${c.dead}`).join('; '));
console.log(`drained ${total} deliveries in ${secs.toFixed(2)} s: ${Math.round(total / secs)} events/s`);
await store.close();
child.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
