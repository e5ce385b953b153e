import { describe, expect, it } from 'vitest';
import { canonicalEventInputSchema, formatIssue, toUnixSeconds } from './schema.js';

describe('toUnixSeconds', () => {
  it.each<[number | string, number]>([
    [1764326400, 1764326400],
    [1764326400.9, 1764326400],
    ['1764326400', 1764326400],
    [' 1764326400.5 ', 1764326400],
    ['2025-11-28T10:40:00Z', 1764326400],
    ['2025-11-28t10:40:00z', 1764326400],
    ['2025-11-28T12:40:00+02:00', 1764326400],
    ['2025-11-28T16:10:00+0530', 1764326400],
    ['2025-11-28T10:40:00.999Z', 1764326400],
    ['2025-11-28', 1764288000],
    // No zone: UTC, whatever the server's time zone (was host-local before).
    ['2025-11-28T10:40:00', 1764326400],
    ['2025-11-28 10:40', 1764326400],
  ])('%s → %s', (raw, expected) => expect(toUnixSeconds(raw)).toBe(expected));

  it.each<number | string>([1764326400000, 999_999_999, Number.NaN, Infinity, '', 'yesterday', '2025-13-01', '28/11/2025', '2025-11-28T10:40:00 PST'])(
    'rejects %s',
    (raw) => expect(toUnixSeconds(raw)).toBeUndefined(),
  );
});

describe('canonicalEventInputSchema', () => {
  const base = { event_name: 'purchase', event_time: 1764326400 };

  it('accepts the README example shape and uppercases the currency', () => {
    const parsed = canonicalEventInputSchema.parse({
      ...base,
      event_id: 1001,
      user: { email: ['a@example.com', 'b@example.com'], phone: '+16505551212', external_id: 'cust_42' },
      commerce: { value: 59.9, currency: 'usd', order_id: 1001, items: [{ id: 7, quantity: 2, price: 29.95 }] },
    });
    expect(parsed.event_id).toBe('1001');
    expect(parsed.commerce?.currency).toBe('USD');
    expect(parsed.commerce?.order_id).toBe('1001');
    expect(parsed.commerce?.items?.[0]?.id).toBe('7');
  });

  it('accepts pre-hashed values in every hashed user field', () => {
    const hex = 'a'.repeat(64);
    const withAppendix = `${hex}.AQQCAQIA`;
    const user = { email: hex, phone: withAppendix, first_name: withAppendix, last_name: hex, gender: withAppendix, date_of_birth: withAppendix, city: hex, state: hex, zip: hex, country: withAppendix, external_id: hex, street: hex };
    expect(canonicalEventInputSchema.safeParse({ ...base, user }).success).toBe(true);
  });

  it.each([
    [{ ...base, user: { lastName: 'Doe' } }, 'user', 'unknown field "lastName" (did you mean "last_name"?)'],
    [{ ...base, user: { em: 'x' } }, 'user', 'unknown field "em" (did you mean "email"?)'],
    [{ ...base, event_time: 1764326400000 }, 'event_time', 'milliseconds?'],
    [{ ...base, commerce: { currency: 'dollars' } }, 'commerce.currency', 'ISO-4217'],
    [{ ...base, event_name: '' }, 'event_name', 'must not be empty'],
    [{ ...base, user: { email: Array(11).fill('a@example.com') } }, 'user.email', 'expected a string or an array of strings'],
    [{ ...base, action_source: 'web' }, 'action_source', 'expected one of'],
  ])('rejects %j at %s', (input, path, message) => {
    const result = canonicalEventInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (!result.success) {
      const error = formatIssue(result.error.issues[0] as never, ['events', 3]);
      expect(error.path).toBe(`events.3.${path}`);
      expect(error.message).toContain(message);
    }
  });

  it('never echoes a user value in an error', () => {
    const result = canonicalEventInputSchema.safeParse({ ...base, user: { email: 42 } });
    expect(result.success).toBe(false);
    if (!result.success) expect(formatIssue(result.error.issues[0] as never).message).not.toContain('42');
  });
});
