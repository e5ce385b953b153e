import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { parseCanonicalEvent } from './parse.js';
import { canonicalEventInputSchema } from './schema.js';

describe('parseCanonicalEvent', () => {
  it('resolves defaults', () => {
    const event = parseCanonicalEvent({ event_id: 'e1', event_name: 'page_view', event_time: '2025-11-28T10:40:00Z' });
    expect(event).toEqual({
      event_id: 'e1',
      event_id_source: 'given',
      event_name: 'page_view',
      event_time: 1764326400,
      action_source: 'website',
      user: {},
      // No marketing decision: ingest applies the configured consent policy (src/event/consent.ts).
      consent: { limited_data_use: false },
    });
  });

  it('derives order_<id> for a purchase with an order id', () => {
    const event = parseCanonicalEvent({ event_name: 'purchase', event_time: 1764326400, commerce: { order_id: 1001 } });
    expect(event.event_id).toBe('order_1001');
    expect(event.event_id_source).toBe('order');
  });

  it('keeps explicit consent and action source', () => {
    const event = parseCanonicalEvent({
      event_id: 'e1',
      event_name: 'lead',
      event_time: 1764326400,
      action_source: 'phone_call',
      consent: { marketing: false, limited_data_use: true },
    });
    expect(event.action_source).toBe('phone_call');
    expect(event.consent).toEqual({ marketing: false, limited_data_use: true });
  });

  it('throws an InputError with the batch path of the first bad field', () => {
    try {
      parseCanonicalEvent({ event_name: 'purchase', event_time: 'soon' }, ['events', 2]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).path).toBe('events.2.event_time');
    }
  });

  it('builds the event as `{ ...input, event_id, event_id_source, action_source, user, consent }` would, key order included', () => {
    const inputs: Record<string, unknown>[] = [
      { event_name: 'purchase', event_time: 1764326400, referrer_url: 'https://r.example/', commerce: { order_id: 5 } },
      { event_id: 'e1', event_name: 'lead', event_time: 1764326400, action_source: 'app', user: { email: 'a@b.co' }, consent: { marketing: false }, custom_data: { a: 1 } },
      // An explicit undefined takes the schema path, whose output keeps the key.
      { event_id: 'e2', event_name: 'lead', event_time: '2025-11-28T10:40:00Z', referrer_url: undefined },
    ];
    for (const raw of inputs) {
      const event = parseCanonicalEvent(raw);
      const parsed = canonicalEventInputSchema.parse(raw);
      const spread = {
        ...parsed,
        event_id: event.event_id,
        event_id_source: event.event_id_source,
        action_source: parsed.action_source ?? 'website',
        user: parsed.user ?? {},
        consent:
          parsed.consent?.marketing === undefined
            ? { limited_data_use: parsed.consent?.limited_data_use ?? false }
            : { marketing: parsed.consent.marketing, limited_data_use: parsed.consent.limited_data_use ?? false },
      };
      expect(Object.keys(event)).toEqual(Object.keys(spread));
      expect(event).toStrictEqual(spread);
    }
  });

  it('rejects a non-object', () => {
    expect(() => parseCanonicalEvent('purchase')).toThrow(InputError);
  });
});

describe('parseCanonicalEvent key order', () => {
  it('is the spread of the validated input with the resolved fields (the fast path completes its own output in place)', () => {
    const inputs: Record<string, unknown>[] = [
      { event_name: 'purchase', event_time: 1764326400, commerce: { value: 1, currency: 'usd', order_id: 7 }, user: { email: 'a@b.co' } },
      { user: {}, action_source: 'app', event_id: 'e-1', event_time: 1764326400, event_name: 'lead', consent: { marketing: false } },
      { event_name: 'x', event_time: '2025-11-28T10:00:00Z', custom_data: { a: 1 } },
    ];
    for (const raw of inputs) {
      const schema = canonicalEventInputSchema.parse(raw) as Record<string, unknown>;
      const expected = { ...schema, event_id: 0, event_id_source: 0, action_source: 0, user: 0, consent: 0 };
      expect(Object.keys(parseCanonicalEvent(raw))).toEqual(Object.keys(expected));
    }
  });
});
