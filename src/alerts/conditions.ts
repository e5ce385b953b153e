import type { DestinationHealth } from '../delivery/worker.js';
import type { PlatformName } from '../event/names.js';
import type { OutboxStore } from '../outbox/types.js';
import { deliveryOutcomesOf } from '../reconcile/delivery-source.js';
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

  if (rules.no_events) {
    const { hours, sources } = rules.no_events;
    const from = now - hours * HOUR_MS;
    if (input.startedAt > from) {
      for (const s of sources) undecided.add(conditionKey('no_events', s));
    } else {
      const seen = new Set((await input.store.listEvents({ from, to: now + 1 })).map((e) => e.source));
      for (const s of sources) {
        if (!seen.has(s)) firing.push({ rule: 'no_events', subject: s, message: `no ${s} event for ${hours} h: is the ${s === 'browser' ? 'pixel script' : s === 'shopify' ? 'Shopify webhook' : 'server integration'} still connected?` });
      }
    }
  }
  return { firing, undecided };
}

async function deliveredShare(
  input: EvaluationInput,
  rule: NonNullable<AlertsConfig['rules']['delivered_share']>,
  firing: AlertCondition[],
  undecided: Set<string>,
): Promise<void> {
  const to = input.now - rule.settle_minutes * 60_000;
  const from = to - rule.window_hours * HOUR_MS;
  const platforms = [...new Set(input.destinations.map((d) => d.platform))];
  const orders = ordersFromRecords(await input.store.listOrders({ from, to }), from).filter(
    (o) => o.paid_at !== undefined && o.paid_at >= from && o.paid_at < to && !o.test && !o.cancelled && !o.fully_refunded,
  );
  const readOutcomes = deliveryOutcomesOf(input.store);
  if (orders.length < rule.min_orders || !readOutcomes) {
    for (const p of platforms) undecided.add(conditionKey('delivered_share', p));
    return;
  }
  // A purchase's event_time is the order's time, which may precede its paid webhook: read a little wider.
  const outcomes = await readOutcomes({ from: from - 24 * HOUR_MS, to: input.now + 1 });
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
      firing.push({
        rule: 'delivered_share',
        subject: platform,
        message: `${platform} accepted or was deliberately not sent ${ok} of ${orders.length} paid orders of record (${percent(share)}) over the last ${rule.window_hours} h, below ${rule.below_percent}%. \`matchkey reconcile\` lists the orders it never accepted, with why.`,
      });
    }
  }
}
