import { createHmac, timingSafeEqual } from 'node:crypto';

// Shopify signs each webhook with base64(HMAC-SHA256(key = app client secret, msg = raw body bytes)) in
// `X-Shopify-Hmac-Sha256` (https://shopify.dev/docs/api/webhooks). Several secrets are accepted so that a secret can
// be rotated (Shopify takes up to an hour to switch). The comparison is timing-safe and runs against every secret.

export function shopifyHmac(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

const STRICT_DIGEST_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

export function verifyShopifyHmac(rawBody: Buffer, header: string | undefined, secrets: readonly string[]): boolean {
  if (!header || secrets.length === 0) return false;
  // Strict base64 of 32 bytes (44 characters, one `=`): Buffer.from(…, 'base64') would skip any character it does
  // not know, so a header with junk around a valid digest would still match.
  if (!STRICT_DIGEST_BASE64.test(header.trim())) return false;
  const given = Buffer.from(header.trim(), 'base64');
  // A SHA-256 digest is 32 bytes; anything else cannot match and would make timingSafeEqual throw.
  if (given.length !== 32) return false;
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}
