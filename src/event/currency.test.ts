import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { applyCurrencyRule } from './currency.js';
import { parseCanonicalEvent } from './parse.js';

const purchase = (commerce?: object) => parseCanonicalEvent({ event_id: 'o1', event_name: 'purchase', event_time: 1764326400, user: { email: 'a@example.com' }, ...(commerce ? { commerce } : {}) });

describe('applyCurrencyRule', () => {
  it('refuses a purchase without currency, naming commerce.currency under the event’s path', () => {
    try {
      applyCurrencyRule(purchase({ value: 59.9 }), undefined, ['events', 3]);
      throw new Error('expected an InputError');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).path).toBe('events.3.commerce.currency');
      expect((err as InputError).code).toBe('missing_currency');
    }
    expect(() => applyCurrencyRule(purchase(), undefined)).toThrow(/^commerce\.currency: a purchase needs its currency/);
  });

  it('fills in default_currency when the config sets one', () => {
    expect(applyCurrencyRule(purchase({ value: 59.9 }), 'EUR').commerce).toEqual({ value: 59.9, currency: 'EUR' });
    expect(applyCurrencyRule(purchase(), 'EUR').commerce).toEqual({ currency: 'EUR' });
  });

  it('leaves a purchase with its own currency, and other events, as they are', () => {
    const withUsd = purchase({ value: 1, currency: 'usd' });
    expect(applyCurrencyRule(withUsd, 'EUR')).toBe(withUsd);
    const lead = parseCanonicalEvent({ event_name: 'lead', event_time: 1764326400, user: { email: 'a@example.com' } });
    expect(applyCurrencyRule(lead, undefined)).toBe(lead);
  });
});
