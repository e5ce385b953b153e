import type { PlatformName } from '../event/names.js';

// Every problem Matchkey can point out about an event, as a closed set of codes. The identity pass emits the
// per-field ones; diagnostics/ adds the ones that need more than one event (SHARED_IP, DEDUP_*, …).
export const FINDING_CODES = [
  'EMAIL_INVALID',
  'PHONE_INVALID',
  'PHONE_NO_COUNTRY',
  'PREHASHED_MALFORMED',
  'PHONE_PREHASHED',
  'NAME_INVALID',
  'GENDER_INVALID',
  'DOB_INVALID',
  'STATE_INVALID',
  'ZIP_INVALID',
  'COUNTRY_INVALID',
  'CITY_INVALID',
  'SERVER_IP',
  'SHARED_IP',
  'IP_HAS_PORT',
  'IP_INVALID',
  'IP_VERSION_MISMATCH',
  'MISSING_CLIENT_IP',
  'MISSING_USER_AGENT',
  'WEBSITE_EVENT_INCOMPLETE',
  'FBC_MALFORMED',
  'FBC_AFTER_EVENT',
  'FBC_DERIVED',
  'FBP_MALFORMED',
  'MISSING_EVENT_ID',
  'EVENT_TOO_OLD',
  'EVENT_IN_FUTURE',
  'NONSTANDARD_EVENT_NAME',
  'MISSING_CURRENCY',
  'INVALID_VALUE',
  'NO_DETERMINISTIC_KEY',
  'DEDUP_NO_BROWSER_TWIN',
  'DEDUP_NAME_MISMATCH',
  'GA_COOKIE_MALFORMED',
  'GA4_NO_CLIENT_ID',
  'GA4_NO_SESSION_ID',
  'GA4_LIMIT',
  'PLATFORM_COVERAGE_BELOW_SENT',
  'PLATFORM_UPLOADS_BELOW_SENT',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/**
 * One observation about one event. Holds no PII: `field` names the canonical field, `detail` says what was
 * wrong in words ("no @", "7 digits for region US"), never the value itself.
 */
export interface Finding {
  code: FindingCode;
  field?: string;
  detail?: string;
  /** The platforms affected; absent = all. */
  platforms?: PlatformName[];
}
