import { InputError } from '../errors.js';
import type { CanonicalEvent } from './schema.js';

/**
 * A purchase must say its currency. Meta's Purchase requires `currency` with `value` ("currency and value are
 * required for Purchase events", developers.facebook.com/docs/marketing-api/conversions-api/parameters/custom-data),
 * and an amount without a currency means nothing to any platform. So an API purchase without one is refused at
 * ingest (400 naming `commerce.currency`) — unless the config sets `default_currency`, which then fills it in.
 * Shopify orders always carry their currency.
 */
export function applyCurrencyRule(event: CanonicalEvent, defaultCurrency: string | undefined, prefix: (string | number)[] = []): CanonicalEvent {
  if (event.event_name !== 'purchase' || event.commerce?.currency !== undefined) return event;
  if (defaultCurrency !== undefined) return { ...event, commerce: { ...event.commerce, currency: defaultCurrency } };
  throw new InputError(
    [...prefix, 'commerce', 'currency'].join('.'),
    'a purchase needs its currency (ISO-4217 such as "USD"): Meta refuses a Purchase without one; send commerce.currency, or set default_currency in the config',
    'missing_currency',
  );
}
