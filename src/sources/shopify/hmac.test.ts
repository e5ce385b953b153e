import { describe, expect, it } from 'vitest';
import { shopifyHmac, verifyShopifyHmac } from './hmac.js';

describe('verifyShopifyHmac', () => {
  const body = Buffer.from('{"id":1,"note":"caf\u00e9"}');

  it('accepts the signature of any configured secret (rotation)', () => {
    expect(verifyShopifyHmac(body, shopifyHmac(body, 'new-secret'), ['old-secret', 'new-secret'])).toBe(true);
    expect(verifyShopifyHmac(body, shopifyHmac(body, 'old-secret'), ['old-secret', 'new-secret'])).toBe(true);
  });

  it('refuses a wrong secret, a changed body, a missing or malformed header', () => {
    expect(verifyShopifyHmac(body, shopifyHmac(body, 'other'), ['new-secret'])).toBe(false);
    expect(verifyShopifyHmac(Buffer.from('{"id":2}'), shopifyHmac(body, 'new-secret'), ['new-secret'])).toBe(false);
    expect(verifyShopifyHmac(body, undefined, ['new-secret'])).toBe(false);
    expect(verifyShopifyHmac(body, 'not base64 at all', ['new-secret'])).toBe(false);
    expect(verifyShopifyHmac(body, shopifyHmac(body, 'new-secret'), [])).toBe(false);
  });

  it('signs the raw bytes, not a re-serialization', () => {
    const spaced = Buffer.from('{ "id": 1 }');
    expect(verifyShopifyHmac(spaced, shopifyHmac('{"id":1}', 's'), ['s'])).toBe(false);
  });
});
