import { planDeliveries } from '../delivery/plan.js';
import { decidedConsent } from '../event/consent.js';
import type { CanonicalEvent } from '../event/schema.js';
import { hashOnce } from '../identity/hash-once.js';
import type { HashedEvent, IdentityOptions } from '../identity/types.js';
import type { EventSource, IngestItem, OrderRecord } from '../outbox/types.js';
import type { GatewayContext } from './context.js';

// The one path every source takes into the outbox: decide consent for events that carry none (the configured
// policy, src/event/consent.ts), hash identity once, plan one delivery per destination,
// store event + deliveries in one durable transaction, then wake the worker. Raw PII lives only in the
// CanonicalEvent in memory; what reaches the store is the HashedEvent (Klaviyo's contact sealed by the store).

export interface IngestOptions {
  source: EventSource;
  /** Shopify test order: stored, sent only to destinations in test mode. */
  test?: boolean;
  webhook_id?: string;
  order?: OrderRecord;
}

export interface IngestOutcome {
  event_ids: string[];
  duplicate_webhook: boolean;
  /** The events as stored (hashed), in order: the browser leg keeps their plain context for enrichment. */
  hashed: HashedEvent[];
  /** Per event, whether its event row was new (false: the same event from the same source was already stored). */
  stored: boolean[];
  /** Per event, the delivery rows it created (0: absorbed by another copy of the same event_id). */
  deliveries_created: number[];
}

export async function ingestEvents(ctx: GatewayContext, events: CanonicalEvent[], opts: IngestOptions): Promise<IngestOutcome> {
  const identity: IdentityOptions = {
    defaultCountry: ctx.config.default_country,
    serverIps: ctx.config.server_ips,
    // Raw contact is only carried (sealed) for a Klaviyo leg; without one it is never built.
    includeContact: ctx.config.destinations.some((d) => d.platform === 'klaviyo'),
  };
  const test = opts.test ?? false;
  // With an order webhook source, the webhook is every purchase's server copy (src/delivery/plan.ts).
  const orderWebhookSendsPurchases = ctx.config.sources.shopify !== undefined;
  const items: IngestItem[] = events.map((event) => {
    const hashed = hashOnce(event, identity);
    // What hashOnce(applyConsentPolicy(event)) gives, without a copy of every event that carries no decision.
    if (event.consent.marketing === undefined) hashed.consent = decidedConsent(event, ctx.config.consent);
    return { event: hashed, source: opts.source, test, deliveries: planDeliveries(hashed, ctx.config.destinations, { test, source: opts.source, orderWebhookSendsPurchases }) };
  });
  const storeOpts: { webhook_id?: string; order?: OrderRecord } = {};
  if (opts.webhook_id !== undefined) storeOpts.webhook_id = opts.webhook_id;
  if (opts.order !== undefined) storeOpts.order = opts.order;
  const result = await ctx.store.ingest(items, storeOpts);
  if (!result.duplicate_webhook) {
    ctx.metrics.eventsIn(opts.source, items.length);
    // Only the loops of destinations given something to send: a refund planned for GA4 alone, or an event skipped
    // everywhere, wakes no other loop to claim nothing (each claim is a write operation).
    const due = new Set<string>();
    for (let i = 0; i < items.length; i++) {
      if (result.items[i]!.deliveries_created === 0) continue;
      for (const d of items[i]!.deliveries) if (d.status === 'pending') due.add(d.destination_id);
    }
    for (const destinationId of due) ctx.worker.wake(destinationId);
  }
  return {
    event_ids: items.map((i) => i.event.event_id),
    duplicate_webhook: result.duplicate_webhook,
    hashed: items.map((i) => i.event),
    stored: result.items.map((i) => i.stored),
    deliveries_created: result.items.map((i) => i.deliveries_created),
  };
}

/** One item's fate, as the answer reports it: stored now, or a copy of an event already stored from this source. */
export interface ItemResult {
  event_id: string;
  status: 'stored' | 'duplicate';
}

/**
 * The 202 answer of an ingest: `accepted` counts the events stored by this request, `duplicates` the copies of an
 * event already stored (the same event_id from the same source, earlier or earlier in this batch), and `results`
 * says which, per item in order. A batch carrying one event_id three times is one event and two duplicates.
 */
export function acceptance(outcome: IngestOutcome): { accepted: number; duplicates: number; event_ids: string[]; results: ItemResult[] } {
  const results = outcome.event_ids.map((event_id, i): ItemResult => ({ event_id, status: outcome.stored[i] ? 'stored' : 'duplicate' }));
  const accepted = results.filter((r) => r.status === 'stored').length;
  return { accepted, duplicates: results.length - accepted, event_ids: outcome.event_ids, results };
}
