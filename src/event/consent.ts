import type { CanonicalEvent } from './schema.js';

// The shop's consent policy for events that carry no consent decision (`consent.marketing` absent): an order
// webhook without the storefront's consent attribute, a server event that says nothing. What the shopper said
// always wins; the policy only fills the silence, per the shopper's country when the event has one.

export type ConsentDecision = 'granted' | 'denied';

export interface ConsentPolicy {
  /** The decision for an event whose country has no rule (or that carries no country). */
  default: ConsentDecision;
  /** Per ISO-3166 alpha-2 country (upper case), or `EEA` for every member of the European Economic Area. */
  countries: Record<string, ConsentDecision>;
}

/**
 * The European Economic Area: the 27 EU member states, Iceland, Liechtenstein and Norway
 * (https://eur-lex.europa.eu/EN/legal-content/glossary/european-economic-area-eea.html).
 */
export const EEA_COUNTRIES: readonly string[] = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT',
  'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
];
const EEA = new Set(EEA_COUNTRIES);

/** The decision the policy takes for a shopper in `country` (any case; absent or unknown: the default). */
export function defaultConsentFor(policy: ConsentPolicy, country: string | undefined): ConsentDecision {
  const code = country?.trim().toUpperCase();
  if (code !== undefined && /^[A-Z]{2}$/.test(code)) {
    // A country's own rule is more specific than the EEA group's.
    const own = policy.countries[code];
    if (own !== undefined) return own;
    if (EEA.has(code) && policy.countries.EEA !== undefined) return policy.countries.EEA;
  }
  return policy.default;
}

/** The event with `consent.marketing` decided: its own when it has one, else the policy's. */
export function applyConsentPolicy(event: CanonicalEvent, policy: ConsentPolicy): CanonicalEvent {
  if (event.consent.marketing !== undefined) return event;
  return { ...event, consent: decidedConsent(event, policy) };
}

/** The event's consent with `marketing` decided, without copying the event (ingest sets it on the hashed event). */
export function decidedConsent(event: CanonicalEvent, policy: ConsentPolicy): { marketing: boolean; limited_data_use: boolean } {
  const marketing = event.consent.marketing ?? defaultConsentFor(policy, event.user.country) === 'granted';
  return { marketing, limited_data_use: event.consent.limited_data_use };
}
