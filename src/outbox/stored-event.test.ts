import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { HashedEvent } from '../identity/types.js';
import { decodeStoredEvent, encodeStoredEvent } from './stored-event.js';
import { FULL_USER, hashedPurchase } from './testing/hashed-purchase.js';

const purchase = (user: Record<string, unknown>): HashedEvent => hashedPurchase(user);

const HEX64 = /[0-9a-f]{64}/;

describe('encodeStoredEvent / decodeStoredEvent', () => {
  it('stores each distinct hash once, in binary, and reads the same event back', () => {
    const event = purchase(FULL_USER);
    const { contact: _contact, ...hashed } = event;
    const { body, hashes } = encodeStoredEvent(event);

    expect(body).not.toMatch(HEX64);
    // em and em_reddit are one hash here, em_google another (gmail dots); fn_meta differs from fn (apostrophe).
    const values = Object.values(event.user).flat().filter((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v));
    expect(hashes!.length).toBe(new Set(values).size * 32);
    expect(new Set(values).size).toBeLessThan(values.length);
    expect(decodeStoredEvent(body, hashes)).toEqual(hashed);
    expect(JSON.stringify(hashed).length - body.length - hashes!.length).toBeGreaterThan(500);
  });

  it('never writes the raw contact', () => {
    const event = purchase(FULL_USER);
    expect(event.contact?.email).toBe('jane.doe@gmail.com');
    const { body, hashes } = encodeStoredEvent(event);
    expect(body).not.toContain('jane.doe');
    expect(body).not.toContain('contact"');
    expect(decodeStoredEvent(body, hashes).contact).toBeUndefined();
  });

  it('an event without hashed fields has no hashes column, and a body stored with hex inline reads as it is', () => {
    const anonymous = purchase({ client_ip_address: '203.0.113.7' });
    const stored = encodeStoredEvent(anonymous);
    expect(stored.hashes).toBeNull();
    expect(decodeStoredEvent(stored.body, null)).toEqual(anonymous);

    // Rows written before the hashes had a column of their own: JSON with hex values, hashes NULL.
    const { contact: _contact, ...legacy } = purchase(FULL_USER);
    expect(decodeStoredEvent(JSON.stringify(legacy), null)).toEqual(legacy);
  });

  it('keeps a value that is not 64 hex digits as it is, and reads uppercase hex back in lowercase', () => {
    const event = purchase({ email: 'a@b.co' });
    const odd = { ...event, user: { ...event.user, em: ['NOT-A-HASH', event.user.em![0]!], ct: 'ABCDEF' } };
    const { body, hashes } = encodeStoredEvent(odd);
    expect(hashes!.length).toBe(32);
    const { contact: _contact, ...expected } = odd;
    expect(decodeStoredEvent(body, hashes)).toEqual(expected);

    const upper = { ...event, user: { ...event.user, em: [event.user.em![0]!.toUpperCase()] } };
    const stored = encodeStoredEvent(upper);
    expect(decodeStoredEvent(stored.body, stored.hashes).user.em).toEqual(event.user.em);
  });

  it('names the field when a stored reference has no hash in its row', () => {
    const { body, hashes } = encodeStoredEvent(purchase(FULL_USER));
    expect(() => decodeStoredEvent(body, hashes!.subarray(0, 32))).toThrow(/user\.\w+ refers to hash \d+, but the row holds 1/);
  });

  it('round-trips any set of hashed fields, repeated or not', () => {
    const hex = fc.constantFrom(...['a', 'b', 'c', 'd'].map((c) => c.repeat(64)), 'f'.repeat(63) + '0');
    fc.assert(
      fc.property(
        fc.record(
          { em: fc.array(hex, { maxLength: 3 }), em_google: fc.array(hex, { maxLength: 2 }), fn: hex, fn_meta: hex, country: hex, external_id: fc.array(hex, { maxLength: 2 }) },
          { requiredKeys: [] },
        ),
        (user) => {
          const event = { ...purchase({}), user: { ...user, client_user_agent: 'UA' } };
          const { body, hashes } = encodeStoredEvent(event);
          expect(decodeStoredEvent(body, hashes)).toEqual(event);
          // Through a Uint8Array view, as the writer thread and PostgreSQL's driver hand it back.
          if (hashes) expect(decodeStoredEvent(body, new Uint8Array(hashes))).toEqual(event);
        },
      ),
    );
  });
});
