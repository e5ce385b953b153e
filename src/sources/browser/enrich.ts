import type { CanonicalEvent } from '../../event/schema.js';
import type { BrowserContext, StoredBrowserContext } from '../../outbox/types.js';

// Enrichment of an order's purchase with the browser context stored for it (docs/BROWSER.md).
// The order's own values stay first — its `browser_ip`, its `client_details.user_agent`, the cookies in its note
// attributes, the click ids of its landing_site — and the browser fills only what the webhook lacks. Between several
// matched contexts, the one under the more specific join key wins (orderJoinKeys order).

export const ENRICHED_FIELDS = ['fbp', 'fbc', 'ttp', 'ttclid', 'epik', 'gclid', 'gbraid', 'wbraid', 'ga_client_id', 'ga_session_id', 'sccid', 'scid', 'msclkid', 'rdt_cid', 'rdt_uuid', 'client_user_agent', 'client_ip_address'] as const;
export type EnrichedField = (typeof ENRICHED_FIELDS)[number] | 'consent';

export interface Enrichment {
  event: CanonicalEvent;
  /** The fields the browser filled in (names only: safe to log). */
  filled: EnrichedField[];
  /** The join keys that matched, most specific first. */
  matched_keys: string[];
}

/** The fbclid inside an fbc (`fb.<i>.<ms>.<fbclid>[.<appendix>]`), to check it belongs to the same click. */
function fbclidOf(fbc: string): string | undefined {
  return fbc.split('.')[3];
}

export function enrichFromBrowser(event: CanonicalEvent, found: readonly StoredBrowserContext[], keyOrder: readonly string[]): Enrichment {
  const rank = (k: string) => {
    const i = keyOrder.indexOf(k);
    return i < 0 ? keyOrder.length : i;
  };
  const contexts: BrowserContext[] = [...found].sort((a, b) => rank(a.join_key) - rank(b.join_key)).map((f) => f.context);
  const matched_keys = [...found].map((f) => f.join_key).sort((a, b) => rank(a) - rank(b));
  if (contexts.length === 0) return { event, filled: [], matched_keys };

  const user = { ...event.user };
  const filled: EnrichedField[] = [];
  for (const field of ENRICHED_FIELDS) {
    if (user[field] !== undefined) continue;
    for (const context of contexts) {
      const value = context[field];
      if (value === undefined) continue;
      // The order's landing page names its own click: a browser fbc from another click would misattribute it.
      if (field === 'fbc' && user.fbclid !== undefined && fbclidOf(value) !== user.fbclid) continue;
      user[field] = value;
      filled.push(field);
      break;
    }
  }

  // The shopper's consent as the storefront recorded it: a denial (or a limited-data-use request) is honoured on
  // the order too, which by itself carries no consent signal (src/sources/shopify/order-to-event.ts).
  let consent = event.consent;
  const said = contexts.find((c) => c.consent !== undefined)?.consent;
  // Only a denial travels: a browser grant may itself be the consent policy's default for a browser event without
  // a country, while the order (with its address) is judged by the policy at ingest.
  if (said && ((!said.marketing && consent.marketing !== false) || (said.limited_data_use && !consent.limited_data_use))) {
    const marketing = said.marketing ? consent.marketing : false;
    consent = marketing === undefined
      ? { limited_data_use: consent.limited_data_use || said.limited_data_use }
      : { marketing, limited_data_use: consent.limited_data_use || said.limited_data_use };
    filled.push('consent');
  }
  return { event: { ...event, user, consent }, filled, matched_keys };
}
