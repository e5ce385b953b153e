import { randomUUID } from 'node:crypto';

// The event_id rule shared by every leg (docs/BROWSER.md): a purchase with an order id is
// `order_<order_id>`, so the browser snippet and the order webhook agree without talking to each other.
// The prefix also makes the id a non-numeric string, which TikTok requires.
export function orderEventId(orderId: string | number): string {
  return `order_${String(orderId)}`;
}

export function resolveEventId(input: {
  event_id?: string | undefined;
  event_name: string;
  order_id?: string | undefined;
}): { event_id: string; event_id_source: 'given' | 'order' | 'generated' } {
  if (input.event_id) return { event_id: input.event_id, event_id_source: 'given' };
  if (input.event_name === 'purchase' && input.order_id) return { event_id: orderEventId(input.order_id), event_id_source: 'order' };
  return { event_id: `mk_${randomUUID()}`, event_id_source: 'generated' };
}
