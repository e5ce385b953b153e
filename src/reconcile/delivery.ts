import type { PlatformName } from '../event/names.js';
import type { DeliveryOutcome, DeliveryStatus } from '../outbox/types.js';
import { ratio } from './numbers.js';
import type { OrderOfRecord } from './types.js';

// The delivery side: what the gateway itself sent for the window's purchases, beside what each platform says it
// attributed. Orders are matched to deliveries by the purchase event_id rule of src/event/event-id.ts
// (`order_<order id>`).

export interface NeverAccepted {
  order_id: string;
  name?: string;
  destination_id?: string;
  /** The order's best delivery status on this platform, or `not_received` when the gateway has no row for it. */
  status: DeliveryStatus | 'not_received';
  reason: string;
  error_code?: string;
}

export interface PlatformDelivery {
  destinations: string[];
  /** Purchases the gateway queued or sent to the platform (not skipped): accepted + rejected + dead + pending. */
  sent: number;
  accepted: number;
  rejected: number;
  dead: number;
  /** Still queued or retrying. */
  pending: number;
  skipped: number;
  skipped_reasons: Record<string, number>;
  /** Orders of record the platform accepted / orders of record; null when there are none. */
  accepted_share: number | null;
  /** Orders of record with no delivery row at all for this platform (the gateway never got the order). */
  not_received: number;
  /** Accepted purchases that are not orders of record (test, cancelled, refunded, or unknown to the order source). */
  accepted_not_of_record: number;
  /** Orders of record this platform never accepted, with why (at most `limit`; `never_accepted_total` counts all). */
  never_accepted: NeverAccepted[];
  never_accepted_total: number;
}

/** Better first: the status an order has on a platform is the best among its destinations there. */
const STATUS_RANK: Record<DeliveryStatus, number> = { delivered: 0, pending: 1, rejected: 2, dead: 3, skipped: 4 };

export function eventIdOfOrder(orderId: string): string {
  return `order_${orderId}`;
}

/** The purchase event_ids of orders paid in the window, which count even when their event is outside it. */
export function paidEventIdsOf(paidInWindow: ReadonlyMap<string, unknown>): Set<string> {
  return new Set([...paidInWindow.keys()].map(eventIdOfOrder));
}

function reasonOf(o: DeliveryOutcome): string {
  if (o.status === 'skipped') return `skipped: ${o.skip_reason ?? 'unspecified'}`;
  if (o.status === 'pending') return o.attempts > 0 ? `retrying${o.error_code ? ` after ${o.error_code}` : ''}` : 'queued, not yet sent';
  const parts = [o.error_code, o.error_message].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(': ') : o.status;
}

/** What the summary reads of a delivered outcome: most outcomes of a window are delivered, and nothing else of them is shown. */
interface Delivered {
  status: 'delivered';
  destination_id: string;
}

/**
 * The best outcome per (platform, event) of a window's delivery outcomes, folded one at a time (the store hands them
 * over without holding them all: OutboxStore.forEachDeliveryOutcome), keeping of a delivered one only its
 * destination. An outcome counts when its event is in the window or is the purchase of an order paid in it.
 */
export class DeliveryOutcomeFold {
  readonly best = new Map<PlatformName, Map<string, DeliveryOutcome | Delivered>>();
  readonly destinations = new Map<PlatformName, Set<string>>();
  private readonly delivered = new Map<string, Delivered>();

  constructor(
    /** [from, to) of the window in unix ms. */
    private readonly range: { from: number; to: number },
    /** Purchase event_ids of the orders paid in the window (kept or excluded). */
    private readonly paidEventIds: ReadonlySet<string>,
    /** Platforms to report even with no delivery rows (configured destinations). */
    platforms: readonly PlatformName[] = [],
  ) {
    for (const p of platforms) {
      this.best.set(p, new Map());
      this.destinations.set(p, new Set());
    }
  }

  add(o: DeliveryOutcome): void {
    const inWindow = o.event_time >= this.range.from && o.event_time < this.range.to;
    if (!inWindow && !this.paidEventIds.has(o.event_id)) return;
    let perEvent = this.best.get(o.platform);
    if (!perEvent) {
      perEvent = new Map();
      this.best.set(o.platform, perEvent);
    }
    let ds = this.destinations.get(o.platform);
    if (!ds) {
      ds = new Set();
      this.destinations.set(o.platform, ds);
    }
    ds.add(o.destination_id);
    const current = perEvent.get(o.event_id);
    if (current && STATUS_RANK[o.status] >= STATUS_RANK[current.status]) return;
    perEvent.set(o.event_id, o.status === 'delivered' ? this.deliveredTo(o.destination_id) : o);
  }

  /** One shared record per destination: a delivered outcome costs its map entry only. */
  private deliveredTo(destination_id: string): Delivered {
    let d = this.delivered.get(destination_id);
    if (!d) {
      d = { status: 'delivered', destination_id };
      this.delivered.set(destination_id, d);
    }
    return d;
  }
}

export function summarizeDelivery(input: {
  /** The outcomes, or their fold. */
  outcomes: readonly DeliveryOutcome[] | DeliveryOutcomeFold;
  /** Kept orders of record. */
  kept: readonly OrderOfRecord[];
  /** Every order paid in the window (kept or excluded), by order_id. */
  paidInWindow: ReadonlyMap<string, unknown>;
  /** [from, to) of the window in unix ms: deliveries of events in it are counted even when no order matches. */
  range: { from: number; to: number };
  /** Platforms to report even with no delivery rows (configured destinations). */
  platforms?: readonly PlatformName[];
  limit?: number;
}): Partial<Record<PlatformName, PlatformDelivery>> {
  const limit = input.limit ?? 1000;
  const keptEventIds = new Set(input.kept.map((o) => eventIdOfOrder(o.order_id)));
  let fold: DeliveryOutcomeFold;
  if (input.outcomes instanceof DeliveryOutcomeFold) fold = input.outcomes;
  else {
    fold = new DeliveryOutcomeFold(input.range, paidEventIdsOf(input.paidInWindow), input.platforms);
    for (const o of input.outcomes) fold.add(o);
  }
  const { best, destinations } = fold;

  const out: Partial<Record<PlatformName, PlatformDelivery>> = {};
  for (const [platform, perEvent] of [...best.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const d: PlatformDelivery = {
      destinations: [...(destinations.get(platform) ?? [])].sort(),
      sent: 0,
      accepted: 0,
      rejected: 0,
      dead: 0,
      pending: 0,
      skipped: 0,
      skipped_reasons: {},
      accepted_share: null,
      not_received: 0,
      accepted_not_of_record: 0,
      never_accepted: [],
      never_accepted_total: 0,
    };
    for (const [eventId, o] of perEvent) {
      if (o.status === 'skipped') {
        d.skipped++;
        const why = o.skip_reason ?? 'unspecified';
        d.skipped_reasons[why] = (d.skipped_reasons[why] ?? 0) + 1;
        continue;
      }
      d.sent++;
      if (o.status === 'delivered') {
        d.accepted++;
        if (!keptEventIds.has(eventId)) d.accepted_not_of_record++;
      } else if (o.status === 'rejected') d.rejected++;
      else if (o.status === 'dead') d.dead++;
      else d.pending++;
    }
    let acceptedOfRecord = 0;
    for (const order of input.kept) {
      const o = perEvent.get(eventIdOfOrder(order.order_id));
      if (o?.status === 'delivered') {
        acceptedOfRecord++;
        continue;
      }
      if (!o) d.not_received++;
      d.never_accepted_total++;
      if (d.never_accepted.length >= limit) continue;
      d.never_accepted.push({
        order_id: order.order_id,
        ...(order.name ? { name: order.name } : {}),
        ...(o ? { destination_id: o.destination_id } : {}),
        status: o ? o.status : 'not_received',
        reason: o ? reasonOf(o) : 'the gateway has no delivery for this order (webhook not received, or destination added later)',
        ...(o?.error_code ? { error_code: o.error_code } : {}),
      });
    }
    d.accepted_share = ratio(acceptedOfRecord, input.kept.length);
    out[platform] = d;
  }
  return out;
}
