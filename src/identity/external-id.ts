// external_id: trim + lowercase, then hashed (Meta:
// https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters;
// TikTok: src/platforms/tiktok/README.md). It must match what the browser pixel sends for the same shopper, and
// every reference implementation lowercases it.

export function normalizeExternalId(raw: string): string | undefined {
  const id = raw.trim().toLowerCase();
  return id.length === 0 ? undefined : id;
}
