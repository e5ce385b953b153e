import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import metadata from 'libphonenumber-js/min/metadata';

// Phone normalization to E.164 (each platform README under src/platforms/): Meta and Pinterest hash the digits
// without `+`, TikTok and Google hash `+` + digits, Klaviyo takes the E.164 string. Shopify sends one order's phones
// in three shapes (https://shopify.dev/docs/api/webhooks): `+557734881234`, `555-625-1199` (no country code: the
// address country decides) and `+1(502)-459-2181`.
//
// Validity follows libphonenumber-js with its "min" metadata, which still carries the per-type patterns
// (fixed line, mobile, …) where they matter and so rejects unassigned ranges such as the US 555 area code;
// "max" only adds example numbers and formatting data and validated identically in our tests, at the same cost.
// libphonenumber-js costs 5–20 µs per parse: it rebuilds its metadata view and compiles its regexps on every
// call, and a number it cannot read is an exception thrown and caught inside it. So a number written with
// digits and the usual separators (and perhaps `ext.`/`x` and an extension) is read by `readClean` below: the
// same steps as libphonenumber-js's parse and isValid (calling code, international prefix, national prefix and
// carrier code, the country among those sharing a calling code, the number types) over the same metadata, with
// regexps compiled once and no exceptions. Anything else (letters, other extension labels, non-ASCII digits)
// goes to libphonenumber-js itself. phone.test.ts checks that both agree on valid and invalid numbers alike.

export type PhoneResult =
  | { ok: true; e164: string }
  | { ok: false; code: 'PHONE_INVALID' | 'PHONE_NO_COUNTRY'; detail: string };

const MIN_DIGITS = 4; // Tristan da Cunha and Niue have 4-digit numbers
const MAX_DIGITS = 17; // 15 (E.164) plus an international prefix such as 00

export function normalizePhone(raw: string, region?: string): PhoneResult {
  const scan = scanDigits(raw);
  if (scan.digits.length < MIN_DIGITS) return { ok: false, code: 'PHONE_INVALID', detail: 'too few digits' };
  if (scan.digits.length > MAX_DIGITS) return { ok: false, code: 'PHONE_INVALID', detail: 'too many digits' };
  const regionCode = region !== undefined && planFor(region) ? region : undefined;
  const idd00 = !scan.plus && scan.digits.startsWith('00');
  if (!scan.plus && !idd00 && regionCode === undefined) {
    return { ok: false, code: 'PHONE_NO_COUNTRY', detail: 'no country code and no country to infer it from' };
  }
  const e164 = readings(raw, scan, regionCode, false);
  if (e164 !== undefined) return { ok: true, e164 };
  return {
    ok: false,
    code: 'PHONE_INVALID',
    detail: scan.plus || idd00 || regionCode === undefined ? 'not a valid international number' : `not a valid number for region ${regionCode}`,
  };
}

/**
 * What libphonenumber-js alone makes of `raw` through the readings normalizePhone tries (exported for the
 * equivalence test: the compiled reading must agree with it on valid AND invalid numbers).
 */
export function referenceE164(raw: string, region?: string): string | undefined {
  const scan = scanDigits(raw);
  if (scan.digits.length < MIN_DIGITS || scan.digits.length > MAX_DIGITS) return undefined;
  const regionCode = region !== undefined && planFor(region) ? region : undefined;
  if (!scan.plus && !scan.digits.startsWith('00') && regionCode === undefined) return undefined;
  return readings(raw, scan, regionCode, true);
}

let libphonenumberCalls = 0;

/** How many times libphonenumber-js itself was asked (for the test that the common shapes never reach it). */
export function libphonenumberCallCount(): number {
  return libphonenumberCalls;
}

/** libphonenumber-js alone (exported for the equivalence test): E.164 when valid. */
export function libphonenumberE164(text: string, region?: string): string | undefined {
  libphonenumberCalls++;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region as CountryCode | undefined, extract: false });
  return parsed?.isValid() ? parsed.number : undefined;
}

/** The readings of a typed number, first valid one wins. `reference`: every reading by libphonenumber-js. */
function readings(raw: string, scan: DigitScan, region: string | undefined, reference: boolean): string | undefined {
  const number = reference ? undefined : scan.clean ? scan : withoutExtension(raw);
  const direct = number ? readCleanOrAsk(number.digits, number.plus, region) : libphonenumberE164(raw, region);
  if (direct !== undefined || scan.plus) return direct;
  // `00` is the international prefix of most of the world; a US shopper writing `001 650 …` means +1.
  if (scan.digits.startsWith('00')) {
    const international = reference ? libphonenumberE164(`+${scan.digits.slice(2)}`) : readCleanOrAsk(scan.digits.slice(2), true, undefined);
    if (international !== undefined) return international;
  }
  // Digits that already start with a country code but lack the `+` (`447911123456` with country US).
  if (region !== undefined && scan.digits.length >= 8) return reference ? libphonenumberE164(`+${scan.digits}`) : readCleanOrAsk(scan.digits, true, undefined);
  return undefined;
}

function readCleanOrAsk(digits: string, plus: boolean, region: string | undefined): string | undefined {
  const read = readClean(digits, plus, region);
  return read === UNSURE ? libphonenumberE164(`${plus ? '+' : ''}${digits}`, region) : (read ?? undefined);
}

// `(650) 555-1212 ext. 12`, `… x12`: libphonenumber-js reads the number before the extension label (its
// extractExtension); E.164 has no extension. The rarer labels (`#`, `;ext=`, `доб`, …) go to it as they are.
const EXTENSION = /[ ]*(?:ext\.?|x)[ ]*\d{1,7}$/i;

function withoutExtension(raw: string): DigitScan | undefined {
  const label = EXTENSION.exec(raw);
  if (!label) return undefined;
  const scan = scanDigits(raw.slice(0, label.index));
  return scan.clean && scan.digits.length >= MIN_DIGITS ? scan : undefined;
}

interface DigitScan {
  digits: string;
  plus: boolean;
  /**
   * ASCII digits and the separators libphonenumber-js accepts (space - . ( ) /), a `+` only as the very first
   * character, at most 250 characters (its input limit): readClean may read it.
   */
  clean: boolean;
}

function scanDigits(raw: string): DigitScan {
  let digits = '';
  let plus = false;
  let clean = raw.length <= 250;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += raw[i];
    else if (c === 43 /* + */ && digits.length === 0 && !plus) {
      plus = true;
      if (i > 0) clean = false;
    } else if (c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 47) continue;
    else clean = false;
  }
  return { digits, plus, clean };
}

// ---- libphonenumber-js's parse + isValid over its own metadata, regexps compiled once ----

interface NumberType {
  pattern: RegExp;
  lengths: number[];
}
interface Plan {
  country: string;
  callingCode: string;
  /** nationalNumberPattern, whole. */
  general: RegExp;
  possibleLengths: number[] | undefined;
  /** undefined: the metadata has no types for this country, so validity is the general pattern alone. */
  types: NumberType[] | undefined;
  nationalPrefixForParsing: RegExp | undefined;
  nationalPrefixTransformRule: string | undefined;
  internationalPrefix: RegExp | undefined;
  leadingDigits: RegExp | undefined;
}

type RawType = [string, number[]?] | 0 | undefined;
type RawCountry = [string, string, string, number[], unknown, string?, unknown?, string?, string?, unknown?, string?, RawType[]?];

const countries = (metadata as unknown as { countries: Record<string, RawCountry> }).countries;
const callingCodes = (metadata as unknown as { country_calling_codes: Record<string, string[]> }).country_calling_codes;
/** Calling codes of no country (+800, +881, …): their plans are stored apart and left to libphonenumber-js. */
const nonGeographic = (metadata as unknown as { nonGeographic?: Record<string, unknown> }).nonGeographic ?? {};
const plans = new Map<string, Plan | null>();

function planFor(country: string): Plan | undefined {
  const cached = plans.get(country);
  if (cached !== undefined) return cached ?? undefined;
  const raw = countries[country];
  const plan = raw ? compilePlan(country, raw) : null;
  plans.set(country, plan);
  return plan ?? undefined;
}

function compilePlan(country: string, raw: RawCountry): Plan {
  const [callingCode, idd, general, lengths] = raw;
  const prefixForParsing = raw[7] || raw[5];
  // hasTypes: a non-empty list, even if none of its entries has a pattern (then no number has a type).
  const rawTypes = Array.isArray(raw[11]) && raw[11].length > 0 ? raw[11] : undefined;
  const types = rawTypes?.flatMap((t): NumberType[] => (t && t[0] ? [{ pattern: whole(t[0]), lengths: t[1] || lengths }] : []));
  return {
    country,
    callingCode,
    general: whole(general),
    possibleLengths: lengths,
    types,
    nationalPrefixForParsing: prefixForParsing ? new RegExp(`^(?:${prefixForParsing})`) : undefined,
    nationalPrefixTransformRule: raw[8] || undefined,
    internationalPrefix: idd ? new RegExp(`^(?:${idd})`) : undefined,
    leadingDigits: raw[10] ? new RegExp(`^(?:${raw[10]})`) : undefined,
  };
}

function whole(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** The number type is known (getNumberType). */
function hasType(plan: Plan, national: string): boolean {
  if (!plan.types || !plan.general.test(national)) return false;
  for (const type of plan.types) {
    if (type.lengths.includes(national.length) && type.pattern.test(national)) return true;
  }
  return false;
}

/** isValid once the numbering plan is chosen. */
function isValidFor(plan: Plan, national: string): boolean {
  return plan.types ? hasType(plan, national) : plan.general.test(national);
}

/** The plan libphonenumber-js selects for a calling code: its main country's. */
function mainPlan(callingCode: string): Plan | undefined {
  const main = callingCodes[callingCode]?.[0];
  return main === undefined ? undefined : planFor(main);
}

const UNSURE = Symbol('unsure');
type Read = string | null | typeof UNSURE;

/** getCountryByCallingCode: the country among those sharing the calling code that claims the number. */
function exactCountry(callingCode: string, national: string): string | undefined | typeof UNSURE {
  const candidates = callingCodes[callingCode];
  if (!candidates) return undefined;
  if (candidates.length === 1) return candidates[0];
  for (const country of candidates) {
    const plan = planFor(country);
    if (!plan) return UNSURE;
    if (plan.leadingDigits) {
      if (national.length > 0 && plan.leadingDigits.test(national)) return country;
    } else if (hasType(plan, national)) return country;
  }
  return undefined;
}

type LengthCheck = 'possible' | 'too short' | 'too long' | 'invalid length';

function checkLength(national: string, lengths: number[] | undefined): LengthCheck {
  if (!lengths) return 'possible';
  const length = national.length;
  if (lengths[0] === length) return 'possible';
  if ((lengths[0] as number) > length) return 'too short';
  if ((lengths[lengths.length - 1] as number) < length) return 'too long';
  return lengths.indexOf(length, 1) >= 0 ? 'possible' : 'invalid length';
}

/** extractNationalNumber: the national (significant) number once a national prefix or carrier code is removed. */
function extractNational(number: string, plan: Plan): string | typeof UNSURE {
  const prefix = plan.nationalPrefixForParsing?.exec(number);
  if (!prefix) return number;
  const groups = prefix.length - 1;
  const captured = groups > 0 && Boolean(prefix[groups]);
  const national = plan.nationalPrefixTransformRule && captured ? number.replace(plan.nationalPrefixForParsing as RegExp, plan.nationalPrefixTransformRule) : number.slice(prefix[0].length);
  if (national === number) return number;
  // Numbers valid with their leading digits and not without keep them (shouldHaveExtractedNationalPrefix).
  if (plan.general.test(number) && !plan.general.test(national)) return number;
  if (plan.possibleLengths) {
    const country = exactCountry(plan.callingCode, national);
    if (country === UNSURE) return UNSURE;
    const lengthPlan = country === undefined ? plan : planFor(country);
    if (!lengthPlan) return UNSURE;
    const check = checkLength(national, lengthPlan.possibleLengths);
    if (check === 'too short' || check === 'invalid length') return number;
  }
  return national;
}

/**
 * libphonenumber-js's `parsePhoneNumberFromString(text, { defaultCountry: region, extract: false })?.isValid()`
 * for a clean text (DigitScan.clean) of these digits: E.164, `null` when it is refused, UNSURE when the metadata
 * takes a turn not mirrored here (non-geographic calling codes).
 */
function readClean(digits: string, plus: boolean, region: string | undefined): Read {
  let callingCode: string | undefined;
  let number = digits;
  let country: string | undefined;
  let international = plus;
  if (!plus) {
    if (region === undefined) return null;
    const regionPlan = planFor(region);
    if (!regionPlan) return UNSURE;
    // stripIddPrefix: `011 44 …` from the US is `+44 …`, unless a 0 follows the prefix.
    const idd = regionPlan.internationalPrefix?.exec(digits);
    if (idd && idd[0].length > 0 && idd[0].length < digits.length && digits[idd[0].length] !== '0') {
      number = digits.slice(idd[0].length);
      international = true;
    } else {
      const shorter = withoutCallingCode(digits, regionPlan);
      if (shorter === UNSURE) return UNSURE;
      if (shorter !== undefined) {
        callingCode = regionPlan.callingCode;
        number = shorter;
      } else {
        country = region;
        callingCode = regionPlan.callingCode;
      }
    }
  }
  if (international) {
    // extractCountryCallingCode: the shortest prefix of 1 to 3 digits that is a calling code.
    if (number[0] === '0') return null;
    callingCode = undefined;
    for (let length = 1; length <= 3 && length <= number.length; length++) {
      const prefix = number.slice(0, length);
      if (nonGeographic[prefix]) return UNSURE;
      if (callingCodes[prefix]) {
        callingCode = prefix;
        number = number.slice(length);
        break;
      }
    }
    if (callingCode === undefined) return null;
  }
  if (number.length === 0 || callingCode === undefined) return null;
  const plan = country !== undefined ? planFor(country) : mainPlan(callingCode);
  if (!plan) return UNSURE;
  const national = extractNational(number, plan);
  if (national === UNSURE) return UNSURE;
  const exact = exactCountry(callingCode, national);
  if (exact === UNSURE) return UNSURE;
  if (exact !== undefined) country = exact;
  if (national.length < 2 || national.length > 17) return null;
  const validationPlan = country !== undefined ? planFor(country) : mainPlan(callingCode);
  if (!validationPlan) return UNSURE;
  return isValidFor(validationPlan, national) ? `+${callingCode}${national}` : null;
}

/**
 * extractCountryCallingCodeFromInternationalNumberWithoutPlusSign: `16505551212` with region US is +1 650…
 * when the digits are not a valid national number as they are but are without the calling code, or too long.
 */
function withoutCallingCode(digits: string, regionPlan: Plan): string | undefined | typeof UNSURE {
  if (!digits.startsWith(regionPlan.callingCode)) return undefined;
  const shorter = digits.slice(regionPlan.callingCode.length);
  const shorterNational = extractNational(shorter, regionPlan);
  const national = extractNational(digits, regionPlan);
  if (shorterNational === UNSURE || national === UNSURE) return UNSURE;
  if ((!regionPlan.general.test(national) && regionPlan.general.test(shorterNational)) || checkLength(national, regionPlan.possibleLengths) === 'too long') return shorter;
  return undefined;
}
