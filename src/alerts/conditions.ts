import type { DestinationHealth } from '../delivery/worker.js';
import { utcDay } from '../diagnostics/history/days.js';
import { GAUGE_KINDS, manualGaugeKind, type Gauge, type HistoryStore } from '../diagnostics/history/types.js';
import { SCORE_KIND } from '../diagnostics/quality/pull.js';
import type { PlatformName } from '../event/names.js';
import { SAMPLE_KEY_SPACE } from '../outbox/event-scan.js';
import type { OutboxStore } from '../outbox/types.js';
import { eventIdOfOrder } from '../reconcile/delivery.js';
import { ordersFromRecords } from '../reconcile/orders/internal.js';
import type { AlertsConfig } from './config.js';

// The rules of docs/ALERTS.md, evaluated against what the gateway knows now. Each condition is keyed by
// (rule, subject); the engine opens an incident for a new key and resolves an open one whose key is neither
// firing nor undecided. Undecided = no verdict this time (a destination not heard from since a restart, too few
// orders in the window, a gateway younger than the silence it would report): its incident, if any, stays as it is.

export interface AlertCondition {
  rule: string;
  subject: string;
  message: string;
}

export interface Evaluation {
  firing: AlertCondition[];
  /** `rule:subject` keys with no verdict this time. */
  undecided: Set<string>;
}

export interface EvaluationInput {
  rules: AlertsConfig['rules'];
  store: OutboxStore;
  health: () => readonly DestinationHealth[];
  destinations: readonly { id: string; platform: PlatformName }[];
  now: number;
  /** When the gateway started (unix ms): a source cannot have been silent for longer. */
  startedAt: number;
  /** The dated platform scores (the history store): needed by `quality_drop` only. */
  gauges?: Pick<HistoryStore, 'listGauges'>;
  /** `delivered_share` samples the window's orders above this many (MAX_ALERT_ORDERS when absent). */
  maxOrders?: number;
}

export const conditionKey = (rule: string, subject: string): string => `${rule}:${subject}`;

const HOUR_MS = 3_600_000;
const percent = (share: number): string => `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;

export async function evaluateRules(input: EvaluationInput): Promise<Evaluation> {
  const { rules, now } = input;
  const firing: AlertCondition[] = [];
  const undecided = new Set<string>();

  if (rules.destination_paused) {
    for (const h of input.health()) {
      if (h.state === 'unknown') undecided.add(conditionKey('destination_paused', h.destination_id));
      else if (h.state === 'paused' && h.paused) {
        firing.push({
          rule: 'destination_paused',
          subject: h.destination_id,
          message: `destination "${h.destination_id}" (${h.platform}) is paused: the platform refused its credentials, permissions or settings (${h.paused.code}: ${h.paused.message}). Fix them in the configuration and restart; the events wait in the outbox.`,
        });
      }
    }
  }

  if (rules.dead_letters) {
    const { above } = rules.dead_letters;
    for (const c of await input.store.counts(now)) {
      const n = c.dead + c.rejected;
      if (n > above) {
        firing.push({
          rule: 'dead_letters',
          subject: c.destination_id,
          message: `destination "${c.destination_id}" (${c.platform}) has ${n} dead letters (${c.dead} dead, ${c.rejected} rejected), above ${above}. See the dashboard's dead letters; \`matchkey replay\` sends them again.`,
        });
      }
    }
  }

  if (rules.delivered_share) await deliveredShare(input, rules.delivered_share, firing, undecided);

  if (rules.quality_drop && input.gauges) await qualityDrop(input, input.gauges, rules.quality_drop, firing, undecided);

  if (rules.no_events) {
    const { hours, sources } = rules.no_events;
    const from = now - hours * HOUR_MS;
    if (input.startedAt > from) {
      for (const s of sources) undecided.add(conditionKey('no_events', s));
    } else {
      for (const s of sources) {
        if (!(await input.store.hasEventFrom({ source: s, from, to: now + 1 }))) firing.push({ rule: 'no_events', subject: s, message: `no ${s} event for ${hours} h: is the ${s === 'browser' ? 'pixel script' : s === 'shopify' ? 'Shopify webhook' : 'server integration'} still connected?` });
      }
    }
  }
  return { firing, undecided };
}

/**
 * Orders the delivered_share rule reads at most (about): above it, a sample of the window's orders by their purchase
 * event_id. A share from 20,000 orders is within ±0.7 points of the whole window's 95% of the time (the worst case,
 * a share near 50%; ±0.3 near 95%), and reading them is ~20,000 order records and a delivery row per destination
 * for each, however busy the shop.
 */
export const MAX_ALERT_ORDERS = 20_000;

const count = (n: number): string => n.toLocaleString('en-US');

async function deliveredShare(
  input: EvaluationInput,
  rule: NonNullable<AlertsConfig['rules']['delivered_share']>,
  firing: AlertCondition[],
  undecided: Set<string>,
): Promise<void> {
  const to = input.now - rule.settle_minutes * 60_000;
  const from = to - rule.window_hours * HOUR_MS;
  const platforms = [...new Set(input.destinations.map((d) => d.platform))];
  // Up to the cap, every order of the window is read. Above it, only the orders whose purchase event_id falls in a
  // sample (by its hash, so an order and its deliveries are in or out together), sized to keep about `cap` of them.
  const cap = input.maxOrders ?? MAX_ALERT_ORDERS;
  const paidCount = await input.store.countPaidOrders({ from, to });
  const sampleBelow = paidCount > cap ? Math.floor((SAMPLE_KEY_SPACE * cap) / paidCount) : undefined;
  const records = await input.store.listOrders({ from, to, ...(sampleBelow !== undefined ? { sampleBelow } : {}) });
  const orders = ordersFromRecords(records, from).filter(
    (o) => o.paid_at !== undefined && o.paid_at >= from && o.paid_at < to && !o.test && !o.cancelled && !o.fully_refunded,
  );
  // min_orders is about the window's orders, not the sample's: the sample's count scaled by the share of the paid
  // orders (as countPaidOrders counts them) that fell in the sample.
  const sampledPaid = records.filter((r) => r.topic === 'orders/paid' && r.test !== true).length;
  const ofRecord = sampleBelow === undefined ? orders.length : sampledPaid === 0 ? 0 : Math.round((orders.length * paidCount) / sampledPaid);
  if (ofRecord < rule.min_orders) {
    for (const p of platforms) undecided.add(conditionKey('delivered_share', p));
    return;
  }
  // The delivery rows of exactly these orders' purchases, looked up by event_id (whichever leg holds each row).
  const outcomes = await input.store.purchaseDeliveryOutcomes(orders.map((o) => eventIdOfOrder(o.order_id)));
  const covered = new Map<PlatformName, Set<string>>();
  for (const o of outcomes) {
    if (o.status !== 'delivered' && o.status !== 'skipped') continue;
    const set = covered.get(o.platform) ?? new Set<string>();
    set.add(o.event_id);
    covered.set(o.platform, set);
  }
  for (const platform of platforms) {
    const ok = orders.filter((o) => covered.get(platform)?.has(eventIdOfOrder(o.order_id))).length;
    const share = ok / orders.length;
    if (share * 100 < rule.below_percent) {
      const what =
        sampleBelow === undefined
          ? `${ok} of ${orders.length} paid orders of record (${percent(share)})`
          : `an estimated ${percent(share)} of the paid orders of record (${count(ok)} of ${count(orders.length)} in a sample of ${count(sampledPaid)} of the ${count(paidCount)} paid orders)`;
      firing.push({
        rule: 'delivered_share',
        subject: platform,
        message: `${platform} accepted or was deliberately not sent ${what} over the last ${rule.window_hours} h, below ${rule.below_percent}%. \`matchkey reconcile\` lists the orders it never accepted, with why.`,
      });
    }
  }
}

const DAY_MS = 86_400_000;
const PULLED_SCORE_LABELS: Record<string, string> = {
  event_quality_score: "Pinterest event quality score (Pinterest's rating as 0–100)",
  upload_success_rate: "Google upload success rate (Google's %, 0–100)",
};
const round = (n: number): number => Math.round(n * 100) / 100;

/**
 * Each score series (platform, destination, kind) whose latest reading in the window is `points` or more below the
 * best earlier reading of the window. The subject names the destination (or the platform, for a reading entered for
 * the platform as a whole) and the kind. A series read before the window but not in it gives no verdict: the pulls
 * stopped (a revoked token fails the pull, not the score), which says nothing about the score.
 */
async function qualityDrop(
  input: EvaluationInput,
  gauges: Pick<HistoryStore, 'listGauges'>,
  rule: NonNullable<AlertsConfig['rules']['quality_drop']>,
  firing: AlertCondition[],
  undecided: Set<string>,
): Promise<void> {
  const today = utcDay(input.now);
  const from = utcDay(input.now - rule.within_days * DAY_MS);
  const headline = new Set<string>([...Object.values(GAUGE_KINDS).map((g) => g.kind), ...Object.values(SCORE_KIND)]);
  const readings = (await gauges.listGauges({ from: utcDay(input.now - 2 * rule.within_days * DAY_MS), to: today })).filter((g) => headline.has(g.kind));
  const configured = new Set(input.destinations.map((d) => d.id));
  const tagged = new Set(readings.filter((g) => g.destination_id !== undefined).map((g) => g.platform));
  const series = new Map<string, Gauge[]>();
  for (const g of readings) {
    // A removed destination's readings raise nothing; an untagged pulled-only kind is the same series read before
    // readings named their destination (src/diagnostics/history/types.ts).
    if (g.destination_id !== undefined && !configured.has(g.destination_id)) continue;
    if (g.destination_id === undefined && tagged.has(g.platform) && g.kind !== manualGaugeKind(g.platform)) continue;
    const subject = `${g.destination_id ?? g.platform}:${g.kind}`;
    series.set(subject, [...(series.get(subject) ?? []), g]);
  }
  for (const [subject, all] of series) {
    const inWindow = all.filter((g) => g.day >= from).sort((a, b) => a.day.localeCompare(b.day));
    if (inWindow.length === 0) {
      undecided.add(conditionKey('quality_drop', subject));
      continue;
    }
    const latest = inWindow[inWindow.length - 1]!;
    const best = inWindow.slice(0, -1).reduce<Gauge | undefined>((b, g) => (b === undefined || g.value > b.value ? g : b), undefined);
    const platform = latest.platform;
    const threshold = rule.points_by_platform?.[platform] ?? rule.points;
    if (!best || round(best.value - latest.value) < threshold) continue;
    const label = platform !== 'google' && latest.kind === GAUGE_KINDS[platform].kind ? GAUGE_KINDS[platform].label : (PULLED_SCORE_LABELS[latest.kind] ?? latest.kind);
    const of = latest.destination_id !== undefined ? `destination "${latest.destination_id}"` : `${platform} (entered by hand)`;
    firing.push({
      rule: 'quality_drop',
      subject,
      message: `${label} of ${of} dropped ${round(best.value - latest.value)} points within ${rule.within_days} days: ${best.value} on ${best.day}, ${latest.value} on ${latest.day} (alert at ${threshold} or more). The dashboard's Match keys page shows which keys the platform now sees less often than Matchkey sends them.`,
    });
  }
}
