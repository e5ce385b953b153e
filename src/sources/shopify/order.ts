// The parts of a Shopify order / refund webhook payload Matchkey reads (https://shopify.dev/docs/api/webhooks).
// Everything is optional and loosely typed because real payloads vary by API version, channel and app: the mappers
// read defensively.

export interface ShopifyAddress {
  first_name?: string | null;
  last_name?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province_code?: string | null;
  country_code?: string | null;
  zip?: string | null;
  phone?: string | null;
}

export interface ShopifyLineItem {
  id?: number | string | null;
  product_id?: number | string | null;
  variant_id?: number | string | null;
  sku?: string | null;
  title?: string | null;
  name?: string | null;
  vendor?: string | null;
  price?: string | number | null;
  quantity?: number | null;
}

export interface ShopifyOrder {
  id: number | string;
  name?: string | null;
  email?: string | null;
  contact_email?: string | null;
  phone?: string | null;
  test?: boolean | null;
  total_price?: string | number | null;
  currency?: string | null;
  financial_status?: string | null;
  processed_at?: string | null;
  created_at?: string | null;
  cancelled_at?: string | null;
  browser_ip?: string | null;
  landing_site?: string | null;
  referring_site?: string | null;
  order_status_url?: string | null;
  buyer_accepts_marketing?: boolean | null;
  client_details?: { browser_ip?: string | null; user_agent?: string | null } | null;
  customer?: {
    id?: number | string | null;
    email?: string | null;
    phone?: string | null;
    first_name?: string | null;
    last_name?: string | null;
    default_address?: ShopifyAddress | null;
  } | null;
  billing_address?: ShopifyAddress | null;
  shipping_address?: ShopifyAddress | null;
  note_attributes?: { name?: string | null; value?: unknown }[] | null;
  line_items?: ShopifyLineItem[] | null;
}

export interface ShopifyRefund {
  id?: number | string | null;
  order_id: number | string;
  processed_at?: string | null;
  created_at?: string | null;
  transactions?: { amount?: string | number | null; currency?: string | null; kind?: string | null; status?: string | null }[] | null;
}

/** A non-empty trimmed string, or undefined (Shopify sends null, "" and numbers where strings are expected). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Shopify money is a decimal string ("598.94"); numbers are accepted too. */
export function money(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
