import type { CanonicalEvent } from '../../event/schema.js';
import { BROWSER_CONTEXT_RETENTION_MS, type OutboxStore } from '../../outbox/types.js';
import type { ShopifyOrder } from '../shopify/order.js';
import { enrichFromBrowser, type Enrichment } from './enrich.js';
import { orderJoinKeys } from './join-keys.js';

// Webhook-time enrichment (docs/BROWSER.md "Enrichment"). Only a browser context stored BEFORE the webhook can help:
// the order's deliveries are planned and stored when the webhook is acknowledged (Shopify waits at most 5 s), and
// holding them back for a browser event that may never come would delay every order. A browser event arriving
// after its order is still stored (diagnostics pair it) and counted as `browser_after_webhook`.

/**
 * enriched: the browser filled at least one field · nothing_to_fill: a context matched but the order already had
 * everything it holds · no_context: no browser context for this order (no browser leg, consent denied without a
 * record, or the webhook came first) · unsupported: the store has no browser-context support.
 */
export type EnrichmentOutcome = 'enriched' | 'nothing_to_fill' | 'no_context' | 'unsupported';

export async function enrichOrderEvent(
  store: Pick<OutboxStore, 'findBrowserContexts'>,
  order: ShopifyOrder,
  event: CanonicalEvent,
  now: number,
): Promise<Enrichment & { outcome: EnrichmentOutcome }> {
  if (!store.findBrowserContexts) return { event, filled: [], matched_keys: [], outcome: 'unsupported' };
  const keys = orderJoinKeys(order);
  const found = await store.findBrowserContexts(keys, now - BROWSER_CONTEXT_RETENTION_MS);
  const enrichment = enrichFromBrowser(event, found, keys);
  const outcome: EnrichmentOutcome = found.length === 0 ? 'no_context' : enrichment.filled.length > 0 ? 'enriched' : 'nothing_to_fill';
  return { ...enrichment, outcome };
}
