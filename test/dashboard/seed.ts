import { join } from 'node:path';
import { openHistoryStore } from '../../src/diagnostics/history/open.js';
import { takeDailySnapshot } from '../../src/diagnostics/history/snapshot.js';
import { pullQuality } from '../../src/diagnostics/quality/pull.js';
import type { DailySnapshot } from '../../src/diagnostics/history/types.js';
import {
  ADMIN_TOKEN,
  configObject,
  deliveryRows,
  destinationsFor,
  freshOrder,
  postEvents,
  postShopify,
  purchase,
  simBehaviour,
  startInProcess,
  startSim,
  tempDir,
  waitFor,
  type InProcessGateway,
  type Sim,
} from '../gateway/harness.js';

// A gateway on the simulators, seeded the way an operator's shop would fill it: two Shopify orders through signed
// webhooks, API purchases (one the Meta simulator refuses, one that dies after a TikTok outage, one with a
// server IP and no currency), an annotation, and the daily history the snapshot scheduler writes.

export const SEEDED = {
  shopifyOrderId: '5830042910001',
  shopifyIntlOrderId: '5830042910002',
  rejected: 'evt-rejected-1',
  dead: 'evt-dead-1',
  findings: 'evt-server-ip-1',
  ok: ['evt-ok-1', 'evt-ok-2', 'evt-ok-3'],
  annotation: 'started sending external_id',
  /** What the Meta simulator's Dataset Quality API reports: email on a third of purchases, though we sent it on all. */
  metaQuality: { score: 6.2, emailCoverage: 35, phoneCoverage: 100 },
  /** Raw identity that went in; it must never reach the dashboard. */
  rawEmails: ['Zelphine.Quorvath@Example.com', 'zelphine.quorvath@example.com', 'Orlaith.Vennick@Example.co.uk', 'orlaith.vennick@example.co.uk', 'evt-ok-1@example.com'],
} as const;

/** Events acknowledged in total (3 ok + rejected + dead + findings + 2 Shopify orders). */
export const SEEDED_EVENTS = 8;

export interface SeededGateway {
  gateway: InProcessGateway;
  sim: Sim;
  close(): Promise<void>;
}

async function settled(gateway: InProcessGateway, eventId: string, destination: string, status: string): Promise<void> {
  await waitFor(`${eventId} → ${destination} ${status}`, () =>
    deliveryRows(gateway.dbPath).some((r) => r.event_id === eventId && r.destination_id === destination && r.status === status),
  );
}

async function everythingFinal(gateway: InProcessGateway): Promise<void> {
  await waitFor('every delivery to end', () => deliveryRows(gateway.dbPath).every((r) => r.status !== 'pending'), 30_000);
}

export async function startSeededGateway(): Promise<SeededGateway> {
  const sim = await startSim();
  const dir = tempDir('mk-dash-');
  // One failed attempt is final: the TikTok outage below makes a dead letter at once instead of after 24 h.
  // Meta's ad account: the Reconciliation page reads attributed purchases from the simulated Insights API.
  const destinations = destinationsFor(sim.url).map((d) => (d.id === 'meta' ? { ...d, reporting: { ad_account_id: '1234567890' } } : d));
  const gateway = await startInProcess(dir, configObject(dir, destinations, {
      delivery: { max_attempts: 1, max_hours: 0 },
      // Dead letters, and Meta's score falling from yesterday's pull to today's, raise incidents the Alerts page lists
      // (no channel: nothing is sent anywhere).
      alerts: { interval_s: 1, channels: [], rules: { destination_paused: false, dead_letters: { above: 0 }, quality_drop: { points: 20, points_by_platform: { meta: 1 } } } },
    }));
  const close = async () => {
    await gateway.close();
    await sim.close();
  };
  try {
    const paid = freshOrder('orders-paid.json', { ageSec: 600 });
    if ((await postShopify(gateway.url, paid.raw, { topic: 'orders/paid', webhookId: 'wh-dash-1' })).status !== 200) throw new Error('webhook 1 refused');
    const intl = freshOrder('orders-paid-intl.json', { ageSec: 300 });
    if ((await postShopify(gateway.url, intl.raw, { topic: 'orders/paid', webhookId: 'wh-dash-2' })).status !== 200) throw new Error('webhook 2 refused');

    const ok = await postEvents(gateway.url, { events: SEEDED.ok.map((id) => purchase(id)) });
    if (ok.status !== 202) throw new Error(`ingest refused: ${JSON.stringify(ok.body)}`);
    await everythingFinal(gateway);

    await simBehaviour(sim, { platform: 'meta', mode: 'reject_events', event_ids: [SEEDED.rejected], count: 10 });
    await postEvents(gateway.url, purchase(SEEDED.rejected));
    await settled(gateway, SEEDED.rejected, 'meta', 'rejected');
    await everythingFinal(gateway);
    await simBehaviour(sim, { platform: 'meta', mode: 'ok' });

    await simBehaviour(sim, { platform: 'tiktok', mode: 'server_error', count: 1 });
    await postEvents(gateway.url, purchase(SEEDED.dead));
    await settled(gateway, SEEDED.dead, 'tiktok', 'dead');
    await everythingFinal(gateway);
    await simBehaviour(sim, { platform: 'tiktok', mode: 'ok' });

    // The gateway's own address as the shopper's IP and a value without currency: two error findings on one event.
    // (A cart add: a purchase without currency is refused at ingest.)
    const noisy = purchase(SEEDED.findings, { extra: { event_name: 'add_to_cart' } });
    (noisy.user as Record<string, unknown>).client_ip_address = '10.0.0.12';
    noisy.commerce = { order_id: SEEDED.findings, value: 25 };
    // Meta refuses it, as it refused the currency-less purchase this event used to be.
    await simBehaviour(sim, { platform: 'meta', mode: 'reject_events', event_ids: [SEEDED.findings], count: 10 });
    await postEvents(gateway.url, noisy);
    await settled(gateway, SEEDED.findings, 'meta', 'rejected');
    await everythingFinal(gateway);
    await simBehaviour(sim, { platform: 'meta', mode: 'ok' });

    const note = await fetch(`${gateway.url}/api/annotations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: SEEDED.annotation }),
    });
    if (note.status !== 201) throw new Error(`annotation refused: ${note.status} ${await note.text()}`);

    await writeHistory(gateway);
    await pullPlatformQuality(gateway, sim);
    await attributeTodaysOrder(sim);
    return { gateway, sim, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * What the platforms' reporting APIs say for the seeded shop: Meta and Pinterest each credit the USD order to
 * themselves (the same order, so the page shows why platforms are never summed), in the shop's own scale — the
 * simulators' steady made-up figures are those of a shop with a few orders every day.
 */
async function attributeTodaysOrder(sim: Sim): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const day = { date: today, conversions: 1, value: 598.94 };
  const res = await fetch(`${sim.url}/_sim/attributed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ meta: { days: [day] }, pinterest: { days: [day] } }),
  });
  if (!res.ok) throw new Error(`simulator refused the attributed figures: ${res.status} ${await res.text()}`);
}

/**
 * What the daily snapshot scheduler (src/diagnostics/history/snapshot.ts) leaves behind: today's snapshot over the
 * seeded events, and the three days before it as a rollout of external_id would have drawn them.
 */
async function writeHistory(gateway: InProcessGateway): Promise<void> {
  const history = await openHistoryStore(`sqlite:${join(gateway.dir, 'matchkey.db')}`);
  try {
    await history.migrate();
    const today = await takeDailySnapshot(gateway.store, history, new Date().toISOString().slice(0, 10), gateway.config);
    const earlier: DailySnapshot[] = [];
    for (const [daysAgo, factor] of [
      [3, 0.55],
      [2, 0.62],
      [1, 0.8],
    ] as const) {
      const day = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
      for (const s of today) earlier.push({ ...s, day, readiness: s.readiness === null ? null : Math.round(s.readiness * factor * 10) / 10 });
    }
    await history.putSnapshots(earlier);
  } finally {
    await history.close();
  }
}

/**
 * The platforms' own readings, as the gateway's daily pull stores them: yesterday the simulator's defaults (Meta 7.4),
 * today Meta told what to report (a lower score, which the quality_drop rule reports) and Pinterest its default.
 */
async function pullPlatformQuality(gateway: InProcessGateway, sim: Sim): Promise<void> {
  const { score, emailCoverage, phoneCoverage } = SEEDED.metaQuality;
  const reset = await fetch(`${sim.url}/_sim/quality`, { method: 'DELETE' });
  if (reset.status !== 204) throw new Error(`quality report reset refused: ${reset.status}`);
  const yesterday = await openHistoryStore(`sqlite:${join(gateway.dir, 'matchkey.db')}`);
  try {
    const result = await pullQuality(gateway.config.destinations, yesterday, Date.now() - 86_400_000);
    if (result.failed.length > 0) throw new Error(`quality pull failed: ${JSON.stringify(result.failed)}`);
  } finally {
    await yesterday.close();
  }
  const told = await fetch(`${sim.url}/_sim/quality`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      meta: {
        web: [
          {
            event_name: 'Purchase',
            event_match_quality: {
              composite_score: score,
              match_key_feedback: [
                { identifier: 'email', coverage: { percentage: emailCoverage } },
                { identifier: 'phone', coverage: { percentage: phoneCoverage } },
              ],
              diagnostics: [],
            },
          },
        ],
      },
    }),
  });
  if (told.status !== 200) throw new Error(`quality report refused: ${told.status}`);
  const history = await openHistoryStore(`sqlite:${join(gateway.dir, 'matchkey.db')}`);
  try {
    // With the outbox, as the gateway's pull: Google's Data Manager figures are its requestStatus outcomes.
    const result = await pullQuality(gateway.config.destinations, history, Date.now(), fetch, gateway.store);
    if (result.failed.length > 0) throw new Error(`quality pull failed: ${JSON.stringify(result.failed)}`);
  } finally {
    await history.close();
  }
}
