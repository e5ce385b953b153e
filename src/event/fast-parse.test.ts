import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastParseCanonicalEventInput } from './fast-parse.js';
import { canonicalEventInputSchema } from './schema.js';

// The accept path must never accept what the schema refuses, and must return exactly the schema's output
// (same values, same key order, same copies) for what it accepts.
function agreesWithSchema(raw: unknown): void {
  const fast = fastParseCanonicalEventInput(raw);
  const schema = canonicalEventInputSchema.safeParse(raw);
  if (fast === undefined) return;
  expect(schema.success).toBe(true);
  expect(fast).toStrictEqual(schema.data);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(schema.data));
}

const purchase = {
  event_id: 'order_1001',
  event_name: 'purchase',
  event_time: 1764326400,
  action_source: 'website',
  event_source_url: 'https://shop.example/checkouts/thank_you',
  user: {
    phone: '(650) 555-1212',
    email: ['  Jane.Doe@Example.com ', 'jane@gmail.com'],
    first_name: 'Jane',
    last_name: 'Doe',
    city: 'Menlo Park',
    state: 'California',
    zip: '94025-1234',
    country: 'United States',
    external_id: 'cust_1',
    client_ip_address: '203.0.113.7',
    client_user_agent: 'Mozilla/5.0',
    fbp: 'fb.1.1764000000000.1234567890',
    click_time: '2025-11-28T10:00:00Z',
  },
  commerce: {
    currency: 'usd',
    value: 59.9,
    order_id: 1001,
    items: [
      { price: 29.95, id: 'SKU-1', name: 'Mug', category: 'Kitchen', quantity: 1 },
      { id: 7, brand: 'Acme' },
    ],
    content_type: 'product',
  },
  consent: { limited_data_use: true, marketing: false },
  custom_data: { b: 1, a: { nested: [1, 2] } },
};

describe('fastParseCanonicalEventInput', () => {
  it('takes a realistic purchase, returning the schema output in the schema key order', () => {
    const fast = fastParseCanonicalEventInput(purchase);
    expect(fast).toBeDefined();
    agreesWithSchema(purchase);
    expect(Object.keys(fast!.user!)).toEqual(Object.keys(canonicalEventInputSchema.parse(purchase).user!));
    expect(fast!.commerce!.currency).toBe('USD');
    expect(fast!.commerce!.order_id).toBe('1001');
    expect(fast!.commerce!.items![1]!.id).toBe('7');
    expect(fast!.event_time).toBe(1764326400);
    expect(fast!.user!.click_time).toBe(1764324000);
  });

  it('copies arrays and records as the schema does, never returning the caller object', () => {
    const fast = fastParseCanonicalEventInput(purchase)!;
    expect(fast.user!.email).not.toBe(purchase.user.email);
    expect(fast.commerce!.items).not.toBe(purchase.commerce.items);
    expect(fast.custom_data).not.toBe(purchase.custom_data);
    expect(fast.custom_data!.a).toBe(purchase.custom_data.a);
  });

  it.each([
    ['an unknown top-level key', { ...purchase, eventName: 'x' }],
    ['an unknown user key', { ...purchase, user: { lastName: 'Doe' } }],
    ['an unknown item key', { ...purchase, commerce: { items: [{ id: 'a', sku: 'b' }] } }],
    ['an over-long email', { ...purchase, user: { email: 'a'.repeat(513) } }],
    ['eleven emails', { ...purchase, user: { email: Array.from({ length: 11 }, () => 'a@b.co') } }],
    ['a millisecond event_time', { ...purchase, event_time: 1764326400000 }],
    ['a bad ISO time', { ...purchase, event_time: 'soon' }],
    ['a bad currency', { ...purchase, commerce: { currency: 'US' } }],
    ['a negative quantity', { ...purchase, commerce: { items: [{ id: 'a', quantity: -1 }] } }],
    ['a fractional order id', { ...purchase, commerce: { order_id: 1.5 } }],
    ['an empty event_id', { ...purchase, event_id: '' }],
    ['an unknown action source', { ...purchase, action_source: 'web' }],
    ['a string consent', { ...purchase, consent: { marketing: 'yes' } }],
    ['an undefined optional', { ...purchase, referrer_url: undefined }],
    ['a missing event_name', { event_time: 1764326400 }],
    ['an array', [purchase]],
    ['null', null],
  ])('leaves %s to the schema', (_label, raw) => {
    expect(fastParseCanonicalEventInput(raw)).toBeUndefined();
  });

  it('agrees with the schema on generated events, valid and invalid', () => {
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'a'.repeat(65), 'a'.repeat(257), 'a'.repeat(513), '  Mixed@Case.COM '));
    const num = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1764326400, 1764326400.7, 1e20, -1, 2.5));
    const scalar = fc.oneof(text, num, fc.boolean(), fc.constant(null));
    const time = fc.oneof(fc.constantFrom(1764326400, 1764326400000, '2025-11-28T10:40:00Z', '2025-11-28', '1764326400', 'soon', 5), scalar);
    const oneOrMany = fc.oneof(text, fc.array(text, { maxLength: 12 }), scalar);
    const user = fc.oneof(
      fc.record(
        {
          email: oneOrMany,
          phone: oneOrMany,
          external_id: oneOrMany,
          first_name: text,
          zip: fc.oneof(text, scalar),
          click_time: time,
          fbc: text,
        },
        { requiredKeys: [] },
      ),
      scalar,
      fc.dictionary(fc.constantFrom('email', 'lastName', 'city'), text),
    );
    const item = fc.oneof(
      fc.record({ id: fc.oneof(text, num), name: text, quantity: num, price: num, brand: scalar }, { requiredKeys: [] }),
      scalar,
    );
    const commerce = fc.oneof(
      fc.record(
        {
          value: num,
          currency: fc.oneof(fc.constantFrom('usd', 'EUR', 'US', 'ABCD'), scalar),
          order_id: fc.oneof(text, num),
          items: fc.oneof(fc.array(item, { maxLength: 3 }), scalar),
          content_type: fc.constantFrom('product', 'product_group', 'other'),
          search_string: text,
        },
        { requiredKeys: [] },
      ),
      scalar,
    );
    const event = fc.record(
      {
        event_id: fc.oneof(text, num),
        event_name: fc.oneof(fc.constantFrom('purchase', 'page_view'), text, scalar),
        event_time: time,
        action_source: fc.oneof(fc.constantFrom('website', 'app', 'web'), scalar),
        event_source_url: text,
        user,
        commerce,
        consent: fc.oneof(fc.record({ marketing: fc.oneof(fc.boolean(), scalar), limited_data_use: fc.boolean() }, { requiredKeys: [] }), scalar),
        custom_data: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), scalar), scalar),
        bogus: scalar,
      },
      { requiredKeys: ['event_name', 'event_time'] },
    );
    fc.assert(fc.property(event, (raw) => agreesWithSchema(raw)), { numRuns: 3000 });
  });
});
