import { parseCanonicalEvent } from '../../event/parse.js';
import type { CanonicalEvent, CanonicalEventInput } from '../../event/schema.js';
import { isObject, money, str, type ShopifyRefund } from './order.js';
import { refundRecord } from './order-record.js';

// Shopify `refunds/create` → one canonical `refund`, so an analytics platform (GA4's `refund` event,
// https://developers.google.com/analytics/devguides/collection/ga4/reference/events#refund) takes the money back off
// the purchase. Ad platforms never receive it (src/delivery/plan.ts: only platforms with `sendsRefunds`).
// Only money actually refunded counts: GA4 reads a refund without a value as a refund of the WHOLE transaction, so a
// refund that moved no money (a restock, a failed or pending transaction) yields no event.

type Item = NonNullable<NonNullable<CanonicalEventInput['commerce']>['items']>[number];

export function refundToEvent(refund: ShopifyRefund, receivedAtMs = Date.now()): CanonicalEvent | null {
  const record = refundRecord(refund, receivedAtMs);
  if (record.refunded_amount === undefined || record.refunded_amount <= 0 || record.currency === undefined) return null;
  const refundId = str(refund.id);
  const input: CanonicalEventInput = {
    event_id: refundId ? `refund_${refundId}` : `refund_${record.order_id}_${record.occurred_at}`,
    event_name: 'refund',
    event_time: Math.floor(record.occurred_at / 1000),
    action_source: 'system_generated',
    commerce: { order_id: record.order_id, value: record.refunded_amount, currency: record.currency },
  };
  const items = refundedItems(refund);
  if (items.length > 0) input.commerce!.items = items;
  return parseCanonicalEvent(input);
}

/**
 * The refunded lines, under the id the purchase used for them (src/sources/shopify/order-to-event.ts: sku, else
 * variant id, else product id) — only when the webhook carries the line item itself; an id the purchase did not
 * use would refund an item GA4 never saw.
 */
function refundedItems(refund: ShopifyRefund): Item[] {
  const lines = (refund as { refund_line_items?: unknown }).refund_line_items;
  if (!Array.isArray(lines)) return [];
  const items: Item[] = [];
  for (const line of lines.slice(0, 1000)) {
    if (!isObject(line) || !isObject(line.line_item)) continue;
    const li = line.line_item;
    const id = (str(li.sku) ?? str(li.variant_id) ?? str(li.product_id))?.slice(0, 256);
    if (!id) continue;
    const item: Item = { id };
    const name = str(li.title) ?? str(li.name);
    if (name) item.name = name.slice(0, 512);
    const quantity = line.quantity;
    if (typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 0) item.quantity = quantity;
    const price = money(li.price);
    if (price !== undefined) item.price = price;
    items.push(item);
  }
  return items;
}
