import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SHOPIFY_SECRET } from '../../bench/lib/gateway.js';
import { shopifyHmac } from '../../src/sources/shopify/hmac.js';

// Shopify orders/paid webhooks for chaos: the repository's fixture order, dated now, with its id replaced, pretty-
// printed as Shopify sends it (the HMAC covers these exact bytes), and a poster that sets the headers.

const FIXTURE = readFileSync(join(ROOT, 'test/fixtures/shopify/orders-paid.json'), 'utf8');

export function orderBody(id: number, mutate?: (order: Record<string, any>) => void): string {
  const order = JSON.parse(FIXTURE) as Record<string, any>;
  const at = new Date(Math.floor(Date.now() / 1000 - 120) * 1000).toISOString().replace('.000Z', '+00:00');
  order.id = id;
  order.processed_at = at;
  order.created_at = at;
  mutate?.(order);
  return JSON.stringify(order, null, 2);
}

export const sign = (raw: string | Buffer, secret = SHOPIFY_SECRET): string => shopifyHmac(raw, secret);

export async function postWebhook(
  url: string,
  raw: string | Buffer,
  headers: { hmac?: string | null; webhookId?: string; topic?: string; contentType?: string },
): Promise<{ status: number; body: any; contentType: string }> {
  const h: Record<string, string> = { 'content-type': headers.contentType ?? 'application/json', 'x-shopify-topic': headers.topic ?? 'orders/paid', 'x-shopify-shop-domain': 'chaos.myshopify.com' };
  if (headers.webhookId) h['x-shopify-webhook-id'] = headers.webhookId;
  if (headers.hmac !== null) h['x-shopify-hmac-sha256'] = headers.hmac ?? sign(raw);
  const res = await fetch(`${url}/webhooks/shopify`, { method: 'POST', headers: h, body: raw });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body, contentType: res.headers.get('content-type') ?? '' };
}
