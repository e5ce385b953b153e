import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCanonicalEvent } from '../event/parse.js';
import { hashOnce } from '../identity/hash-once.js';
import type { HashedEvent } from '../identity/types.js';
import { decodeStoredBody, encodeStoredBody } from './stored-body.js';

// A few distinct hashes, so that arbitrary variants often equal their base and often do not.
const hash = fc.constantFrom('a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64), '0123456789abcdef'.repeat(4));
const hashes = fc.array(hash, { minLength: 1, maxLength: 3 });

const user = fc.record(
  {
    em: hashes,
    em_google: hashes,
    em_reddit: hashes,
    ph: hashes,
    ph_e164: hashes,
    fn: hash,
    ln: hash,
    fn_meta: hash,
    ln_meta: hash,
    ge: hash,
    ge_pinterest: hash,
    db: hash,
    ct: hash,
    external_id: hashes,
    geo: fc.record({ city: fc.string(), country: fc.constantFrom('US', 'DE') }, { requiredKeys: [], noNullPrototype: true }),
    client_user_agent: fc.string(),
    fbp: fc.string(),
  },
  { requiredKeys: [], noNullPrototype: true },
);

const hashedEvent: fc.Arbitrary<HashedEvent> = fc.record(
  {
    event_id: fc.string({ minLength: 1 }),
    event_id_source: fc.constantFrom('given' as const, 'order' as const, 'generated' as const),
    event_name: fc.constantFrom('purchase', 'add_to_cart', 'custom thing'),
    event_time: fc.integer({ min: 0, max: 2 ** 31 }),
    action_source: fc.constantFrom('website' as const, 'app' as const),
    user,
    commerce: fc.record({ value: fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)), currency: fc.constant('EUR'), order_id: fc.string() }, { requiredKeys: [], noNullPrototype: true }),
    consent: fc.record({ marketing: fc.boolean(), limited_data_use: fc.boolean() }, { noNullPrototype: true }),
    findings: fc.constant([]),
    contact: fc.record({ email: fc.emailAddress() }, { noNullPrototype: true }),
    contact_fields: fc.constant(['email' as const]),
  },
  { requiredKeys: ['event_id', 'event_id_source', 'event_name', 'event_time', 'action_source', 'user', 'consent', 'findings'], noNullPrototype: true },
);

/** The event as a reader of the store sees it: everything but the raw contact, which is never in the body. */
function withoutContact(e: HashedEvent): HashedEvent {
  const { contact: _contact, ...rest } = e;
  return rest;
}

describe('the stored event body', () => {
  it('reads back every hashed event exactly as it was, key order included, minus the raw contact', () => {
    fc.assert(
      fc.property(hashedEvent, (e) => {
        const decoded = decodeStoredBody(encodeStoredBody(e));
        expect(decoded).toStrictEqual(withoutContact(e));
        expect(JSON.stringify(decoded)).toBe(JSON.stringify(withoutContact(e)));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a body written before the folding (every variant spelled out, or one missing) as it was written', () => {
    fc.assert(
      fc.property(hashedEvent, (e) => {
        const old = JSON.stringify(withoutContact(e));
        expect(decodeStoredBody(old)).toStrictEqual(withoutContact(e));
      }),
      { numRuns: 300 },
    );
  });

  it('never changes the event it encodes', () => {
    fc.assert(
      fc.property(hashedEvent, (e) => {
        const before = structuredClone(e);
        encodeStoredBody(e);
        expect(e).toStrictEqual(before);
      }),
      { numRuns: 200 },
    );
  });

  it('stores each hash of a typical event once: a variant equal to its base is not written again', () => {
    const e = hashOnce(
      parseCanonicalEvent({
        event_name: 'purchase',
        event_time: 1_700_000_000,
        action_source: 'website',
        user: { email: 'Shopper@Example.com', first_name: 'Ana', last_name: 'Lee', gender: 'f' },
      }),
    );
    const body = encodeStoredBody(e);
    for (const h of [e.user.em![0]!, e.user.fn!, e.user.ln!, e.user.ge!]) expect(body.split(h).length - 1).toBe(1);
    expect(body.length).toBeLessThan(JSON.stringify(withoutContact(e)).length - 4 * 64);
    expect(decodeStoredBody(body)).toStrictEqual(withoutContact(e));
  });

  it('keeps a variant that differs from its base', () => {
    const e = hashOnce(
      parseCanonicalEvent({ event_name: 'purchase', event_time: 1_700_000_000, action_source: 'website', user: { email: 'a.b+x@gmail.com', first_name: "O'Neil" } }),
    );
    expect(e.user.em_google).not.toEqual(e.user.em);
    expect(e.user.fn_meta).not.toEqual(e.user.fn);
    const body = encodeStoredBody(e);
    expect(body).toContain(e.user.em_google![0]);
    expect(body).toContain(e.user.fn_meta);
    expect(decodeStoredBody(body)).toStrictEqual(withoutContact(e));
  });
});
