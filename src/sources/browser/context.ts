import type { HashedEvent } from '../../identity/types.js';
import { BROWSER_CONTEXT_FIELDS, type BrowserContext } from '../../outbox/types.js';

// What a browser event contributes to a later order (docs/BROWSER.md "Enrichment"): the plain, unhashed-by-design
// fields only — cookies, click ids, user agent, IP — read from the HASHED event, so they are the validated values
// (fbc derived from fbclid with the browser's first-seen time, private IPs already dropped). Raw email, phone, names
// and street never enter a context: the hashed event does not carry them (its `contact` is not read here).

/**
 * The context of one browser event. When the shopper denied marketing consent, only that decision is kept: it is
 * carried onto the order (which then goes to no ad platform), and nothing else about the browser is stored.
 */
export function browserContextOf(event: HashedEvent): BrowserContext {
  const consent = { marketing: event.consent.marketing, limited_data_use: event.consent.limited_data_use };
  if (!event.consent.marketing) return { consent };
  const context: BrowserContext = { consent };
  for (const field of BROWSER_CONTEXT_FIELDS) {
    const value = event.user[field];
    if (value !== undefined) context[field] = value;
  }
  return context;
}
