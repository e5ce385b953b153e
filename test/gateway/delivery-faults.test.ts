import { afterEach, describe, expect, it } from 'vitest';
import {
  configObject,
  deliveryRows,
  destinationsFor,
  postEvents,
  purchase,
  simBehaviour,
  simUploads,
  startInProcess,
  startSim,
  tempDir,
  waitFor,
  type DestinationName,
  type InProcessGateway,
  type Sim,
} from './harness.js';

// Platform faults, end to end through HTTP: rate limits, outages, a poison event, a stale event.

let running: { sim: Sim; gw: InProcessGateway }[] = [];
afterEach(async () => {
  for (const { sim, gw } of running) {
    await gw.close();
    await sim.close();
  }
  running = [];
});

async function setUp(names: DestinationName[]): Promise<{ sim: Sim; gw: InProcessGateway }> {
  const sim = await startSim();
  const dir = tempDir();
  const gw = await startInProcess(dir, configObject(dir, destinationsFor(sim.url, names)));
  running.push({ sim, gw });
  return { sim, gw };
}

const settled = (gw: InProcessGateway, ids: string[]) =>
  waitFor(`${ids.length} events to settle`, () => {
    const rows = deliveryRows(gw.dbPath).filter((r) => ids.includes(r.event_id));
    return rows.length > 0 && rows.every((r) => r.status !== 'pending') ? rows : undefined;
  }, 45_000);

describe('delivery through platform faults', () => {
  it('waits for Retry-After before retrying a 429', async () => {
    const { sim, gw } = await setUp(['meta']);
    await simBehaviour(sim, { platform: 'meta', mode: 'rate_limit', retry_after_s: 2, count: 1 });
    expect((await postEvents(gw.url, purchase('rl_1'))).status).toBe(202);
    const [row] = await settled(gw, ['rl_1']);
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
    const uploads = await simUploads(sim, 'meta');
    expect(uploads.map((u) => u.status)).toEqual([429, 200]);
    expect(uploads[1]!.received_at - uploads[0]!.received_at).toBeGreaterThanOrEqual(2000);
    expect(uploads[1]!.before_retry_after).toBeUndefined();
  });

  it('delivers everything once an outage (5xx) is over', async () => {
    const { sim, gw } = await setUp(['meta', 'tiktok', 'pinterest', 'klaviyo']);
    await simBehaviour(sim, { platform: 'all', mode: 'server_error', for_ms: 1500 });
    const ids = Array.from({ length: 20 }, (_, i) => `outage_${i}`);
    expect((await postEvents(gw.url, { events: ids.map((id) => purchase(id)) })).status).toBe(202);
    const rows = await settled(gw, ids);
    expect(rows).toHaveLength(ids.length * 4);
    expect(rows.filter((r) => r.status !== 'delivered')).toEqual([]);
    const metaUploads = await simUploads(sim, 'meta');
    expect(metaUploads.some((u) => u.status >= 500)).toBe(true);
  });

  it('rejects only the poison event of a Meta batch; the rest of the batch is delivered', async () => {
    const { sim, gw } = await setUp(['meta']);
    await simBehaviour(sim, { platform: 'meta', mode: 'reject_events', event_ids: ['poison_3'] });
    const ids = Array.from({ length: 8 }, (_, i) => (i === 3 ? 'poison_3' : `good_${i}`));
    expect((await postEvents(gw.url, { events: ids.map((id) => purchase(id)) })).status).toBe(202);
    const rows = await settled(gw, ids);
    expect(rows.find((r) => r.event_id === 'poison_3')).toMatchObject({ status: 'rejected' });
    expect(rows.filter((r) => r.event_id !== 'poison_3').map((r) => r.status)).toEqual(Array(7).fill('delivered'));
  });

  it('takes an 8-day-old event out as dead too_old without touching its batch', async () => {
    const { sim, gw } = await setUp(['meta']);
    const events = [purchase('fresh_1'), purchase('stale_1', { ageSec: 8 * 24 * 3600 }), purchase('fresh_2')];
    expect((await postEvents(gw.url, { events })).status).toBe(202);
    const rows = await settled(gw, ['fresh_1', 'stale_1', 'fresh_2']);
    expect(rows.find((r) => r.event_id === 'stale_1')).toMatchObject({ status: 'dead', last_error_code: 'too_old' });
    expect(rows.filter((r) => r.event_id !== 'stale_1').map((r) => r.status)).toEqual(['delivered', 'delivered']);
    const sent = JSON.stringify((await simUploads(sim, 'meta')).map((u) => u.body));
    expect(sent).not.toContain('stale_1');
    expect((await simUploads(sim, 'meta')).every((u) => u.status === 200)).toBe(true);
  });
});
