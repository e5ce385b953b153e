import type { HashedUser } from '../../identity/types.js';

// Google's user identifiers (./README.md): each UserIdentifier carries ONE of hashedEmail,
// hashedPhoneNumber or addressInfo; at most 5 per conversion. uploadClickConversions takes only email and
// phone; addressInfo is for ConversionAdjustment ENHANCEMENT.

export const MAX_USER_IDENTIFIERS = 5;

export type UserIdentifier =
  | { hashedEmail: string; userIdentifierSource: 'FIRST_PARTY' }
  | { hashedPhoneNumber: string; userIdentifierSource: 'FIRST_PARTY' }
  | { addressInfo: AddressInfo; userIdentifierSource: 'FIRST_PARTY' };

/**
 * OfflineUserAddressInfo: names and street hashed, geography in clear (Google's rule,
 * https://developers.google.com/data-manager/api/get-started/formatting).
 */
export interface AddressInfo {
  hashedFirstName?: string;
  hashedLastName?: string;
  hashedStreetAddress?: string;
  city?: string;
  state?: string;
  countryCode?: string;
  postalCode?: string;
}

/**
 * Emails (Google variant: gmail dots removed) and E.164-with-`+` phones, alternating so that a shopper with
 * several emails still gets a phone identifier within the limit of 5.
 */
export function emailAndPhoneIdentifiers(user: HashedUser, limit = MAX_USER_IDENTIFIERS): UserIdentifier[] {
  return alternateEmailsAndPhones<UserIdentifier>(
    user,
    limit,
    (hashedEmail) => ({ hashedEmail, userIdentifierSource: 'FIRST_PARTY' }),
    (hashedPhoneNumber) => ({ hashedPhoneNumber, userIdentifierSource: 'FIRST_PARTY' }),
  );
}

/**
 * Google's email hashes (`em_google`) and E.164 phone hashes, alternating so that a shopper with several emails still
 * gets a phone within `limit`; each API wraps them in its own identifier shape.
 */
export function alternateEmailsAndPhones<T>(user: HashedUser, limit: number, email: (hash: string) => T, phone: (hash: string) => T): T[] {
  const emails = user.em_google ?? [];
  const phones = user.ph_e164 ?? [];
  const out: T[] = [];
  for (let i = 0; out.length < limit && (i < emails.length || i < phones.length); i++) {
    const e = emails[i];
    const p = phones[i];
    if (e !== undefined) out.push(email(e));
    if (p !== undefined && out.length < limit) out.push(phone(p));
  }
  return out;
}

/**
 * The address identifier, when complete enough to match: Google's samples require first name, last name,
 * country and postal code (GADS-PY upload_enhanced_conversions_for_web). Names/street are the hashes from the
 * identity pass; city/state/zip/country are the plain normalized geo — never hashed for Google.
 */
export function addressInfo(user: HashedUser): AddressInfo | undefined {
  const geo = user.geo ?? {};
  if (!user.fn || !user.ln || !geo.country || !geo.zip) return undefined;
  const info: AddressInfo = { hashedFirstName: user.fn, hashedLastName: user.ln };
  if (user.street) info.hashedStreetAddress = user.street;
  if (geo.city) info.city = geo.city;
  if (geo.state) info.state = geo.state;
  info.countryCode = geo.country;
  info.postalCode = geo.zip;
  return info;
}

export type ClickId = { gclid: string } | { gbraid: string } | { wbraid: string };

/**
 * One click id per conversion: gclid wins; gbraid and wbraid are never sent together (Google rejects both set;
 * GADS-PY "If set, the wbraid and gbraid parameters must be None" for gclid).
 */
export function clickId(user: HashedUser): ClickId | undefined {
  if (user.gclid) return { gclid: user.gclid };
  if (user.gbraid) return { gbraid: user.gbraid };
  if (user.wbraid) return { wbraid: user.wbraid };
  return undefined;
}
