import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { parseCanonicalEvent } from './parse.js';

const now = Math.floor(Date.now() / 1000);
const base = { event_id: 'e1', event_name: 'purchase', event_time: now, commerce: { order_id: '1', value: 10, currency: 'USD' } };

function refused(raw: Record<string, unknown>): InputError {
  try {
    parseCanonicalEvent(raw, ['events', 0]);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('accepted');
}

const nest = (levels: number): unknown => (levels === 0 ? 1 : { a: nest(levels - 1) });

describe('event limits', () => {
  it('refuses control characters in identifiers, with the path inside the batch', () => {
    expect(refused({ ...base, event_id: 'a\u0000' })).toMatchObject({ path: 'events.0.event_id', code: 'control_character' });
    expect(refused({ ...base, event_name: 'pur\nchase' }).path).toBe('events.0.event_name');
    expect(refused({ ...base, commerce: { order_id: 'x\u007f' } }).path).toBe('events.0.commerce.order_id');
    expect(refused({ ...base, commerce: { items: [{ id: '\u0001' }] } }).path).toBe('events.0.commerce.items.0.id');
  });

  it('refuses an event_time beyond an hour ahead, negative and absurd amounts', () => {
    expect(parseCanonicalEvent({ ...base, event_time: now + 3000 }).event_time).toBe(now + 3000);
    expect(refused({ ...base, event_time: now + 7200 }).code).toBe('event_time_in_future');
    expect(refused({ ...base, commerce: { value: -0.01 } }).code).toBe('negative_amount');
    expect(refused({ ...base, commerce: { value: 1e308 } }).code).toBe('amount_too_large');
    expect(parseCanonicalEvent({ ...base, commerce: { value: 0 } }).commerce?.value).toBe(0);
  });

  it('bounds custom_data in depth, keys and bytes', () => {
    expect(parseCanonicalEvent({ ...base, custom_data: nest(8) as Record<string, unknown> }).custom_data).toBeDefined();
    expect(refused({ ...base, custom_data: nest(9) as Record<string, unknown> })).toMatchObject({ path: 'events.0.custom_data', code: 'too_deep' });
    expect(refused({ ...base, custom_data: Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, i])) }).code).toBe('too_many_keys');
    expect(refused({ ...base, custom_data: { s: 'x'.repeat(17_000) } }).code).toBe('too_large');
  });
});
