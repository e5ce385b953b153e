import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import metadata from 'libphonenumber-js/min/metadata';

// Phone normalization to E.164 (PLATFORMS.md §0): Meta and Pinterest hash the digits without `+`, TikTok and
// Google hash `+` + digits, Klaviyo takes the E.164 string. Shopify sends one order's phones in three shapes
// (§7): `+557734881234`, `555-625-1199` (no country code: the address country decides) and `+1(502)-459-2181`.
//
// Validity follows libphonenumber-js with its "min" metadata, which still carries the per-type patterns
// (fixed line, mobile, …) and so rejects unassigned ranges such as the US 555 area code; "max" only adds
// example numbers and formatting data and validated identically in our tests, at the same cost.
// libphonenumber-js costs 5–17 µs per parse (it rebuilds its metadata view and regexps on every call), more
// than our whole per-event budget, so the common shapes take a fast path below that applies the same
// metadata with regexps compiled once; anything the fast path is unsure about goes to libphonenumber-js.
// phone.test.ts checks that the fast path never disagrees with libphonenumber-js.

export type PhoneResult =
  | { ok: true; e164: string }
  | { ok: false; code: 'PHONE_INVALID' | 'PHONE_NO_COUNTRY'; detail: string };

const MIN_DIGITS = 4; // Tristan da Cunha and Niue have 4-digit numbers
const MAX_DIGITS = 17; // 15 (E.164) plus an international prefix such as 00

export function normalizePhone(raw: string, region?: string): PhoneResult {
  const scan = scanDigits(raw);
  if (scan.digits.length < MIN_DIGITS) return { ok: false, code: 'PHONE_INVALID', detail: 'too few digits' };
  if (scan.digits.length > MAX_DIGITS) return { ok: false, code: 'PHONE_INVALID', detail: 'too many digits' };
  const plan = region === undefined ? undefined : planFor(region);
  const regionCode = plan ? region : undefined;
  const idd00 = !scan.plus && scan.digits.startsWith('00');
  if (!scan.plus && !idd00 && regionCode === undefined) {
    return { ok: false, code: 'PHONE_NO_COUNTRY', detail: 'no country code and no country to infer it from' };
  }
  let e164: string | undefined;
  const fast = scan.clean ? fastE164(scan, plan, regionCode) : undefined;
  if (typeof fast === 'string') return { ok: true, e164: fast };
  // `false`: libphonenumber-js would refuse every reading slowE164 tries (an invalid number cost ~19 µs there).
  if (fast === undefined) e164 = slowE164(raw, scan, regionCode);
  if (e164 !== undefined) return { ok: true, e164 };
  return {
    ok: false,
    code: 'PHONE_INVALID',
    detail: scan.plus || idd00 || regionCode === undefined ? 'not a valid international number' : `not a valid number for region ${regionCode}`,
  };
}

/**
 * What libphonenumber-js alone makes of `raw` through the readings normalizePhone tries (exported for the
 * equivalence test: the fast paths must agree with it on valid AND invalid numbers).
 */
export function referenceE164(raw: string, region?: string): string | undefined {
  const scan = scanDigits(raw);
  if (scan.digits.length < MIN_DIGITS || scan.digits.length > MAX_DIGITS) return undefined;
  const regionCode = region !== undefined && planFor(region) ? region : undefined;
  if (!scan.plus && !scan.digits.startsWith('00') && regionCode === undefined) return undefined;
  return slowE164(raw, scan, regionCode);
}

/** libphonenumber-js alone (exported for the equivalence test): E.164 when valid. */
export function libphonenumberE164(text: string, region?: string): string | undefined {
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region as CountryCode | undefined, extract: false });
  return parsed?.isValid() ? parsed.number : undefined;
}

function slowE164(raw: string, scan: DigitScan, region: string | undefined): string | undefined {
  const direct = libphonenumberE164(raw, region);
  if (direct !== undefined || scan.plus) return direct;
  // `00` is the international prefix of most of the world; a US shopper writing `001 650 …` means +1.
  if (scan.digits.startsWith('00')) {
    const international = libphonenumberE164(`+${scan.digits.slice(2)}`);
    if (international !== undefined) return international;
  }
  // Digits that already start with a country code but lack the `+` (`447911123456` with country US).
  if (region !== undefined && scan.digits.length >= 8) return libphonenumberE164(`+${scan.digits}`);
  return undefined;
}

interface DigitScan {
  digits: string;
  plus: boolean;
  /** Only digits, a leading `+` and the usual separators: the fast path may handle it. */
  clean: boolean;
}

function scanDigits(raw: string): DigitScan {
  let digits = '';
  let plus = false;
  let clean = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += raw[i];
    else if (c === 43 /* + */ && digits.length === 0 && !plus) plus = true;
    else if (c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 47 || c === 9) continue;
    else clean = false;
  }
  return { digits, plus, clean };
}

// ---- fast path over libphonenumber-js metadata ----

interface NumberType {
  pattern: RegExp;
  lengths: number[];
}
interface Plan {
  callingCode: string;
  general: RegExp;
  types: NumberType[] | undefined;
  nationalPrefixForParsing: RegExp | undefined;
  hasTransformRule: boolean;
  internationalPrefix: RegExp | undefined;
  leadingDigits: RegExp | undefined;
}

type RawType = [string, number[]?] | 0 | undefined;
type RawCountry = [string, string, string, number[], unknown, string?, unknown?, string?, string?, unknown?, string?, RawType[]?];

const countries = (metadata as unknown as { countries: Record<string, RawCountry> }).countries;
const callingCodes = (metadata as unknown as { country_calling_codes: Record<string, string[]> }).country_calling_codes;
const plans = new Map<string, Plan | null>();

function planFor(country: string): Plan | undefined {
  const cached = plans.get(country);
  if (cached !== undefined) return cached ?? undefined;
  const raw = countries[country];
  const plan = raw ? compilePlan(raw) : null;
  plans.set(country, plan);
  return plan ?? undefined;
}

function compilePlan(raw: RawCountry): Plan {
  const [callingCode, idd, general, lengths] = raw;
  const nationalPrefix = raw[5];
  const prefixForParsing = raw[7] || nationalPrefix;
  const types = raw[11]
    ? raw[11].flatMap((t): NumberType[] => (t && t[0] ? [{ pattern: whole(t[0]), lengths: t[1] ?? lengths }] : []))
    : undefined;
  return {
    callingCode,
    general: whole(general),
    types,
    nationalPrefixForParsing: prefixForParsing ? new RegExp(`^(?:${prefixForParsing})`) : undefined,
    hasTransformRule: Boolean(raw[8]),
    internationalPrefix: idd ? new RegExp(`^(?:${idd})`) : undefined,
    leadingDigits: raw[10] ? new RegExp(`^(?:${raw[10]})`) : undefined,
  };
}

function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function isValidFor(plan: Plan, national: string): boolean {
  if (!plan.general.test(national)) return false;
  if (!plan.types) return true;
  for (const type of plan.types) {
    if (type.lengths.includes(national.length) && type.pattern.test(national)) return true;
  }
  return false;
}

// Mirrors libphonenumber's getCountryByCallingCode + isValid; `undefined` = not sure, ask libphonenumber.
// `fallback`: the country libphonenumber validates against when no candidate claims the number — the calling
// code's main country for `+…` (isValid selects the plan by calling code), the default country for a national
// number (parse keeps it). Without it, "no candidate" stays "not sure".
function validWithCallingCode(callingCode: string, national: string, fallback?: string): boolean | undefined {
  const candidates = callingCodes[callingCode];
  if (!candidates || candidates.length === 0) return undefined;
  if (candidates.length === 1) {
    const plan = planFor(candidates[0] as string);
    return plan ? isValidFor(plan, national) : undefined;
  }
  for (const country of candidates) {
    const plan = planFor(country);
    if (!plan) return undefined;
    if (plan.leadingDigits) {
      if (plan.leadingDigits.test(national)) return isValidFor(plan, national);
    } else if (isValidFor(plan, national)) {
      return true;
    }
  }
  if (fallback === undefined) return undefined;
  const plan = planFor(fallback);
  // A fallback plan that accepts the number is left to libphonenumber: only the refusal is read off here.
  return plan && !isValidFor(plan, national) ? false : undefined;
}

/**
 * E.164 when the fast paths are sure the number is valid, `false` when they are sure libphonenumber-js refuses
 * every reading slowE164 would try, `undefined` when libphonenumber-js must decide.
 */
function fastE164(scan: DigitScan, plan: Plan | undefined, region: string | undefined): string | false | undefined {
  if (scan.plus) return fastInternational(scan.digits);
  if (!plan || region === undefined) return undefined;
  const national = fastNational(scan.digits, plan, region);
  if (national !== false) return national;
  // slowE164's second reading of a national number: the digits already start with a country code (`+digits`).
  if (scan.digits.length < 8) return false;
  return fastInternational(scan.digits);
}

function fastInternational(digits: string): string | false | undefined {
  for (let length = 1; length <= 3; length++) {
    const callingCode = digits.slice(0, length);
    const candidates = callingCodes[callingCode];
    if (!candidates) continue;
    const national = digits.slice(length);
    const main = planFor(candidates[0] as string);
    // A trunk prefix after the country code (`+44 (0)20…`) is libphonenumber's business.
    if (!main || main.nationalPrefixForParsing?.test(national)) return undefined;
    const valid = validWithCallingCode(callingCode, national, candidates[0]);
    return valid === true ? `+${digits}` : valid;
  }
  // No calling code of 1–3 digits: libphonenumber-js cannot read a country either.
  return undefined;
}

function fastNational(digits: string, plan: Plan, region: string): string | false | undefined {
  if (digits.startsWith('00') || plan.internationalPrefix?.test(digits)) return undefined;
  let national = digits;
  const prefix = plan.nationalPrefixForParsing?.exec(digits);
  if (prefix) {
    // Carrier codes and transform rules (AR, BR, MX, …) and numbers valid both with and without the prefix
    // follow rules we leave to libphonenumber.
    if (prefix.length > 1 || plan.hasTransformRule || plan.general.test(digits)) return undefined;
    national = digits.slice(prefix[0].length);
  }
  // A refusal is only read off when libphonenumber-js takes the digits as they are: no trunk prefix stripped
  // (above), and no leading country code it might strip (extractCountryCallingCode without the `+`).
  const certain = !prefix && !digits.startsWith(plan.callingCode);
  const valid = validWithCallingCode(plan.callingCode, national, certain ? region : undefined);
  return valid === true ? `+${plan.callingCode}${national}` : valid === false && certain ? false : undefined;
}
