import type { CanonicalEvent, CanonicalUser } from '../event/schema.js';
import { isStandardEventName, type PlatformName } from '../event/names.js';
import type { Finding, FindingCode } from './findings.js';
import type { ContactIdentityField, HashedEvent, HashedUser, IdentityOptions, PlainContact, Sha256Hex } from './types.js';
import { classifyPrehashed, sha256Hex, sha256HexMemo } from './hash.js';
import { normalizeEmail, redditEmailVariant } from './email.js';
import { normalizePhone } from './phone.js';
import { normalizeName } from './name.js';
import { normalizeGender } from './gender.js';
import { normalizeDateOfBirth } from './date-of-birth.js';
import { normalizeCity, normalizeCountry, normalizeState, normalizeZip } from './geo.js';
import { deriveFbc, isValidFbclid, parseMetaClickCookie } from './click-ids.js';
import { normalizeIp } from './ip.js';
import { normalizeExternalId } from './external-id.js';
import { parseGaClientId, parseGaSessionId } from './ga-cookies.js';
import { collapseSpaces, nfc } from './text.js';

// The one identity pass (one pass, several variants; README.md): every shopper key is
// normalized once and every platform variant of it is produced here, each distinct string hashed once.
// Invalid values are dropped and reported as findings (never sent malformed: platforms drop bad keys
// silently); findings name the field and say what is wrong in words, never the value.

/** fbc creation may trail event_time by clock skew between the browser and us (seen in real traffic). */
const FBC_FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

const META: PlatformName[] = ['meta'];
const META_PINTEREST: PlatformName[] = ['meta', 'pinterest'];
const GA4: PlatformName[] = ['ga4'];

export function hashOnce(event: CanonicalEvent, opts: IdentityOptions = {}): HashedEvent {
  const findings: Finding[] = [];
  const report = reporter(findings);
  const input = readUser(event.user);
  const user: HashedUser = {};
  // Klaviyo's plain contact, gathered in locals and built once at the end (in this key order) when there is one.
  let contactEmail: string | undefined;
  let contactPhone: string | undefined;
  let contactExternalId: string | undefined;
  let contactFirstName: string | undefined;
  let contactLastName: string | undefined;

  // Geography first: the country decides the phone region, the state table, the ZIP rule and the DOB order.
  let country: string | undefined;
  if (input.country !== undefined && input.country.trim().length > 0) {
    const pre = classifyPrehashed(input.country.trim());
    if (pre.kind === 'hash') user.country = pre.hex;
    else if (pre.kind === 'malformed') report('PREHASHED_MALFORMED', 'user.country', pre.detail);
    else {
      country = normalizeCountry(input.country);
      if (country) {
        user.country = sha256HexMemo(country.toLowerCase());
        setGeo(user, 'country', country);
      } else report('COUNTRY_INVALID', 'user.country', 'not an ISO-3166 code or a country name we know');
    }
  }

  // email
  let deterministic = false;
  if (input.email !== undefined) {
    const em: Sha256Hex[] = [];
    const emGoogle: Sha256Hex[] = [];
    const emReddit: Sha256Hex[] = [];
    const values = asArray(input.email);
    for (let i = 0; i < values.length; i++) {
      const trimmed = (values[i] as string).trim();
      if (trimmed.length === 0) continue;
      const pre = classifyPrehashed(trimmed);
      if (pre.kind === 'hash') {
        pushBoth(em, emGoogle, pre.hex, pre.hex);
        if (!emReddit.includes(pre.hex)) emReddit.push(pre.hex);
        continue;
      }
      if (pre.kind === 'malformed') {
        report('PREHASHED_MALFORMED', fieldPath('user.email', input.email, i), pre.detail);
        continue;
      }
      const result = normalizeEmail(trimmed);
      if (!result.ok) {
        report('EMAIL_INVALID', fieldPath('user.email', input.email, i), result.detail);
        continue;
      }
      const hashed = sha256Hex(result.email);
      pushBoth(em, emGoogle, hashed, result.google === result.email ? hashed : sha256Hex(result.google));
      const reddit = redditEmailVariant(result.email);
      const redditHash = reddit === result.email ? hashed : sha256Hex(reddit);
      if (!emReddit.includes(redditHash)) emReddit.push(redditHash);
      contactEmail ??= result.email;
    }
    if (em.length > 0) {
      user.em = em;
      user.em_google = emGoogle;
      user.em_reddit = emReddit;
      deterministic = true;
    }
  }

  // phone
  if (input.phone !== undefined) {
    const ph: Sha256Hex[] = [];
    const phE164: Sha256Hex[] = [];
    const region = country ?? opts.defaultCountry?.toUpperCase();
    const values = asArray(input.phone);
    for (let i = 0; i < values.length; i++) {
      const trimmed = (values[i] as string).trim();
      if (trimmed.length === 0) continue;
      const pre = classifyPrehashed(trimmed);
      if (pre.kind === 'hash') {
        // A hash cannot be re-formatted into each platform's variant: it goes everywhere as given.
        pushBoth(ph, phE164, pre.hex, pre.hex);
        report('PHONE_PREHASHED', fieldPath('user.phone', input.phone, i), 'sent as given: TikTok and Google hash E.164 with +', ['tiktok', 'google']);
        continue;
      }
      if (pre.kind === 'malformed') {
        report('PREHASHED_MALFORMED', fieldPath('user.phone', input.phone, i), pre.detail);
        continue;
      }
      const result = normalizePhone(trimmed, region);
      if (!result.ok) {
        report(result.code, fieldPath('user.phone', input.phone, i), result.detail);
        continue;
      }
      pushBoth(ph, phE164, sha256Hex(result.e164.slice(1)), sha256Hex(result.e164));
      contactPhone ??= result.e164;
    }
    if (ph.length > 0) {
      user.ph = ph;
      user.ph_e164 = phE164;
      deterministic = true;
    }
  }

  // external_id: opaque ids are often 32-hex (a UUID without dashes), so only a full SHA-256 counts as pre-hashed.
  if (input.external_id !== undefined) {
    const ids: Sha256Hex[] = [];
    const values = asArray(input.external_id);
    for (let i = 0; i < values.length; i++) {
      const trimmed = (values[i] as string).trim();
      if (trimmed.length === 0) continue;
      const pre = classifyPrehashed(trimmed, { flagMalformed: false });
      const hashed = pre.kind === 'hash' ? pre.hex : sha256Hex(normalizeExternalId(trimmed) as string);
      if (!ids.includes(hashed)) ids.push(hashed);
      if (pre.kind !== 'hash') contactExternalId ??= trimmed;
    }
    if (ids.length > 0) {
      user.external_id = ids;
      deterministic = true;
    }
  }

  // names
  if (input.first_name !== undefined) {
    const name = hashName(input.first_name, 'user.first_name', report);
    if (name) {
      user.fn = name.plain;
      user.fn_meta = name.meta;
      if (name.contact !== undefined) contactFirstName = name.contact;
    }
  }
  if (input.last_name !== undefined) {
    const name = hashName(input.last_name, 'user.last_name', report);
    if (name) {
      user.ln = name.plain;
      user.ln_meta = name.meta;
      if (name.contact !== undefined) contactLastName = name.contact;
    }
  }

  // gender: `n` exists only at Pinterest (src/platforms/pinterest/README.md); Meta takes f/m
  // (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters).
  if (input.gender !== undefined && input.gender.trim().length > 0) {
    const trimmed = input.gender.trim();
    const pre = classifyPrehashed(trimmed);
    if (pre.kind === 'hash') user.ge = user.ge_pinterest = pre.hex;
    else if (pre.kind === 'malformed') report('PREHASHED_MALFORMED', 'user.gender', pre.detail);
    else {
      const gender = normalizeGender(trimmed);
      if (gender === undefined) report('GENDER_INVALID', 'user.gender', 'not a known gender word (expected f, m or n)');
      else {
        const hashed = sha256HexMemo(gender);
        user.ge_pinterest = hashed;
        if (gender === 'n') report('GENDER_INVALID', 'user.gender', 'non-binary has no Meta value: sent to Pinterest only', META);
        else user.ge = hashed;
      }
    }
  }

  // date of birth
  if (input.date_of_birth !== undefined && input.date_of_birth.trim().length > 0) {
    const trimmed = input.date_of_birth.trim();
    const pre = classifyPrehashed(trimmed);
    if (pre.kind === 'hash') user.db = pre.hex;
    else if (pre.kind === 'malformed') report('PREHASHED_MALFORMED', 'user.date_of_birth', pre.detail);
    else {
      const result = normalizeDateOfBirth(trimmed, country);
      if (result.ok) user.db = sha256Hex(result.yyyymmdd);
      else report('DOB_INVALID', 'user.date_of_birth', result.detail);
    }
  }

  // city
  if (input.city !== undefined && input.city.trim().length > 0) {
    const trimmed = input.city.trim();
    const pre = classifyPrehashed(trimmed);
    if (pre.kind === 'hash') user.ct = pre.hex;
    else if (pre.kind === 'malformed') report('PREHASHED_MALFORMED', 'user.city', pre.detail);
    else {
      const result = normalizeCity(trimmed);
      if (result.ok === true) {
        setGeo(user, 'city', result.plain);
        if (result.hashInput !== undefined) user.ct = sha256Hex(result.hashInput);
        else report('CITY_INVALID', 'user.city', 'no Latin letters or digits to hash', META_PINTEREST);
      }
    }
  }

  // state
  if (input.state !== undefined && input.state.trim().length > 0) {
    const trimmed = input.state.trim();
    const pre = classifyPrehashed(trimmed);
    if (pre.kind === 'hash') user.st = pre.hex;
    else if (pre.kind === 'malformed') report('PREHASHED_MALFORMED', 'user.state', pre.detail);
    else {
      const result = normalizeState(trimmed, country);
      if (result.ok === true) {
        user.st = result.plain.length === 2 ? sha256HexMemo(result.hashInput) : sha256Hex(result.hashInput);
        setGeo(user, 'state', result.plain);
      } else if (result.ok === false) report('STATE_INVALID', 'user.state', result.detail);
    }
  }

  // zip
  if (input.zip !== undefined && input.zip.trim().length > 0) {
    const trimmed = input.zip.trim();
    const pre = classifyPrehashed(trimmed);
    if (pre.kind === 'hash') user.zp = pre.hex;
    else if (pre.kind === 'malformed') report('PREHASHED_MALFORMED', 'user.zip', pre.detail);
    else {
      const result = normalizeZip(trimmed, country);
      if (result.ok === true) {
        user.zp = sha256Hex(result.zip);
        setGeo(user, 'zip', result.zip);
      } else if (result.ok === false) report('ZIP_INVALID', 'user.zip', result.detail);
    }
  }

  // street (Google addressInfo.hashedStreetAddress, src/platforms/google/README.md)
  if (input.street !== undefined && input.street.trim().length > 0) {
    const trimmed = input.street.trim();
    const pre = classifyPrehashed(trimmed);
    if (pre.kind === 'hash') user.street = pre.hex;
    else if (pre.kind === 'malformed') report('PREHASHED_MALFORMED', 'user.street', pre.detail);
    else user.street = sha256Hex(collapseSpaces(nfc(trimmed)).toLowerCase());
  }

  // client IP. What the checks below need is kept in locals too: reading it back from `user`, an object of a
  // different shape for nearly every event, is a slow megamorphic lookup.
  let hasIp: string | undefined;
  let hasUserAgent: string | undefined;
  let hasFbc: string | undefined;
  let ipExplained = false;
  if (input.client_ip_address !== undefined && input.client_ip_address.trim().length > 0) {
    const result = normalizeIp(input.client_ip_address, opts.serverIps);
    if (result.hadPort) report('IP_HAS_PORT', 'user.client_ip_address', 'a :port was removed');
    if (result.ok) user.client_ip_address = hasIp = result.ip;
    else {
      report(result.code, 'user.client_ip_address', result.detail);
      ipExplained = true;
    }
  }
  if (input.client_user_agent !== undefined) {
    const ua = input.client_user_agent.trim();
    if (ua.length > 0) user.client_user_agent = hasUserAgent = ua;
  }

  // Meta click ids (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc)
  const eventMs = event.event_time * 1000;
  let fbcCreationMs: number | undefined;
  if (input.fbc !== undefined && input.fbc.trim().length > 0) {
    const result = parseMetaClickCookie(input.fbc, 'fbc');
    if (result.ok) {
      user.fbc = hasFbc = result.value;
      fbcCreationMs = result.creationMs;
    } else report('FBC_MALFORMED', 'user.fbc', result.detail, META);
  }
  if (hasFbc === undefined && input.fbclid !== undefined && opts.deriveFbc !== false) {
    const fbclid = input.fbclid.trim();
    if (fbclid.length > 0) {
      if (isValidFbclid(fbclid)) {
        fbcCreationMs = input.click_time !== undefined ? input.click_time * 1000 : eventMs;
        user.fbc = deriveFbc(fbclid, fbcCreationMs);
        report('FBC_DERIVED', 'user.fbc', input.click_time !== undefined ? 'built from fbclid and click_time' : 'built from fbclid and event_time', META);
      } else report('FBC_MALFORMED', 'user.fbclid', 'fbclid has characters outside [A-Za-z0-9_-]', META);
    }
  }
  if (fbcCreationMs !== undefined && fbcCreationMs > eventMs + FBC_FUTURE_TOLERANCE_MS) {
    report('FBC_AFTER_EVENT', 'user.fbc', 'click time is later than event_time', META);
  }
  if (input.fbp !== undefined && input.fbp.trim().length > 0) {
    const result = parseMetaClickCookie(input.fbp, 'fbp');
    if (result.ok) user.fbp = result.value;
    else report('FBP_MALFORMED', 'user.fbp', result.detail, META);
  }
  // Named stores, not `user[key] = …`: properties added through a computed key make V8 turn an object of more than
  // ~16 of them into a hash table (one purchase in ten here), which JSON.stringify then walks slowly.
  let id: string | undefined;
  if ((id = clickId(input.ttclid)) !== undefined) user.ttclid = id;
  if ((id = clickId(input.ttp)) !== undefined) user.ttp = id;
  if ((id = clickId(input.epik)) !== undefined) user.epik = id;
  if ((id = clickId(input.gclid)) !== undefined) user.gclid = id;
  if ((id = clickId(input.gbraid)) !== undefined) user.gbraid = id;
  if ((id = clickId(input.wbraid)) !== undefined) user.wbraid = id;
  if ((id = clickId(input.sccid)) !== undefined) user.sccid = id;
  if ((id = clickId(input.scid)) !== undefined) user.scid = id;
  if ((id = clickId(input.msclkid)) !== undefined) {
    // The UET tag keeps the click id in `_uetmsclkid` as `_uet<msclkid>`; Microsoft wants the bare msclkid.
    if (id.startsWith('_uet')) id = id.slice(4);
    if (id.length > 0) user.msclkid = id;
  }
  if ((id = clickId(input.rdt_cid)) !== undefined) user.rdt_cid = id;
  if ((id = clickId(input.rdt_uuid)) !== undefined) user.rdt_uuid = id;
  if (input.ga_client_id !== undefined && input.ga_client_id.trim().length > 0) {
    const result = parseGaClientId(input.ga_client_id);
    if (result.ok) user.ga_client_id = result.value;
    else report('GA_COOKIE_MALFORMED', 'user.ga_client_id', result.detail, GA4);
  }
  if (input.ga_session_id !== undefined && input.ga_session_id.trim().length > 0) {
    const result = parseGaSessionId(input.ga_session_id);
    if (result.ok) user.ga_session_id = result.value;
    else report('GA_COOKIE_MALFORMED', 'user.ga_session_id', result.detail, GA4);
  }

  // Event-level findings.
  if (event.event_id_source === 'generated') report('MISSING_EVENT_ID', 'event_id', 'generated: the browser pixel cannot share it, so no deduplication');
  if (!isStandardEventName(event.event_name)) report('NONSTANDARD_EVENT_NAME', 'event_name', 'not a standard name: sent as a custom event');
  const commerce = event.commerce;
  const isPurchase = event.event_name === 'purchase';
  if (commerce?.currency === undefined && (commerce?.value !== undefined || isPurchase)) {
    report('MISSING_CURRENCY', 'commerce.currency', commerce?.value !== undefined ? 'value without currency' : 'purchase without currency');
  }
  // A negative or absurd amount never gets here: parsing refuses it (src/event/limits.ts).
  if (commerce?.value === undefined && isPurchase) report('INVALID_VALUE', 'commerce.value', 'purchase without value');
  if (event.action_source === 'website') {
    if (hasIp === undefined && !ipExplained) report('MISSING_CLIENT_IP', 'user.client_ip_address', 'website event without the shopper IP');
    if (hasUserAgent === undefined) report('MISSING_USER_AGENT', 'user.client_user_agent', 'website event without the user agent');
    // Meta requires both of website events; its destination then changes or skips the event, never silently.
    const noUserAgent = hasUserAgent === undefined;
    const noUrl = event.event_source_url === undefined;
    if (noUserAgent || noUrl) {
      const missing = noUserAgent && noUrl ? 'client_user_agent and event_source_url' : noUserAgent ? 'client_user_agent' : 'event_source_url';
      report('WEBSITE_EVENT_INCOMPLETE', noUserAgent ? 'user.client_user_agent' : 'event_source_url', `missing ${missing}`, META);
    }
  }
  // A refund names its order (transaction id), not a shopper.
  if (!deterministic && event.event_name !== 'refund') report('NO_DETERMINISTIC_KEY', 'user', 'no valid email, phone or external_id');

  const hashed: HashedEvent = {
    event_id: event.event_id,
    event_id_source: event.event_id_source,
    event_name: event.event_name,
    event_time: event.event_time,
    action_source: event.action_source,
    user,
    // Ingest replaces this with the consent policy's decision (src/server/ingest.ts); a caller without one reads silence as granted.
    consent: event.consent.marketing === undefined ? { marketing: true, limited_data_use: event.consent.limited_data_use } : (event.consent as HashedEvent['consent']),
    findings,
  };
  if (event.event_source_url !== undefined) hashed.event_source_url = event.event_source_url;
  if (event.referrer_url !== undefined) hashed.referrer_url = event.referrer_url;
  if (commerce !== undefined) hashed.commerce = commerce;
  if (event.custom_data !== undefined) hashed.custom_data = event.custom_data;
  if (contactEmail !== undefined || contactPhone !== undefined || contactExternalId !== undefined || contactFirstName !== undefined || contactLastName !== undefined) {
    const contact: PlainContact = {};
    const fields: ContactIdentityField[] = [];
    if (contactEmail !== undefined) {
      contact.email = contactEmail;
      fields.push('email');
    }
    if (contactPhone !== undefined) {
      contact.phone_number = contactPhone;
      fields.push('phone_number');
    }
    if (contactExternalId !== undefined) {
      contact.external_id = contactExternalId;
      fields.push('external_id');
    }
    if (contactFirstName !== undefined) {
      contact.first_name = contactFirstName;
      fields.push('first_name');
    }
    if (contactLastName !== undefined) {
      contact.last_name = contactLastName;
      fields.push('last_name');
    }
    hashed.contact_fields = fields;
    if (opts.includeContact !== false) {
      // Klaviyo keeps a CRM profile: the location as the shopper wrote it (`São Paulo`, `SW1A 1AA`), not the forms
      // normalized for hashing (Create Event profile.location is free text, developers.klaviyo.com/en/reference/create_event).
      const location = writtenLocation(input);
      if (location) contact.location = location;
      hashed.contact = contact;
    }
  }
  return hashed;
}

type Fields = { [K in keyof Required<CanonicalUser>]: CanonicalUser[K] | undefined };

/**
 * The event's user fields in one shape. Users arrive with every subset of ~30 keys, so each `input.x` of the pass
 * below met hundreds of hidden classes (a megamorphic load, a slow lookup each time, ~6 µs per realistic purchase in
 * the profile); the pass reads this instead, filled by one walk over the keys the event has.
 */
class UserFields implements Fields {
  email: string | string[] | undefined = undefined;
  phone: string | string[] | undefined = undefined;
  external_id: string | string[] | undefined = undefined;
  first_name: string | undefined = undefined;
  last_name: string | undefined = undefined;
  gender: string | undefined = undefined;
  date_of_birth: string | undefined = undefined;
  street: string | undefined = undefined;
  city: string | undefined = undefined;
  state: string | undefined = undefined;
  zip: string | undefined = undefined;
  country: string | undefined = undefined;
  client_ip_address: string | undefined = undefined;
  client_user_agent: string | undefined = undefined;
  fbc: string | undefined = undefined;
  fbp: string | undefined = undefined;
  fbclid: string | undefined = undefined;
  click_time: number | undefined = undefined;
  ttclid: string | undefined = undefined;
  ttp: string | undefined = undefined;
  epik: string | undefined = undefined;
  gclid: string | undefined = undefined;
  gbraid: string | undefined = undefined;
  wbraid: string | undefined = undefined;
  sccid: string | undefined = undefined;
  scid: string | undefined = undefined;
  msclkid: string | undefined = undefined;
  rdt_cid: string | undefined = undefined;
  rdt_uuid: string | undefined = undefined;
  ga_client_id: string | undefined = undefined;
  ga_session_id: string | undefined = undefined;
}

/** Exported for the test that every key of the schema is read. */
export function readUser(user: CanonicalUser): UserFields {
  const f = new UserFields();
  const source = user as Record<string, unknown>;
  // for-in reads each present value by its enumeration index (no lookup); the switch compares interned strings.
  for (const key in source) {
    const v = source[key];
    switch (key) {
      case 'email': f.email = v as Fields['email']; break;
      case 'phone': f.phone = v as Fields['phone']; break;
      case 'external_id': f.external_id = v as Fields['external_id']; break;
      case 'first_name': f.first_name = v as string | undefined; break;
      case 'last_name': f.last_name = v as string | undefined; break;
      case 'gender': f.gender = v as string | undefined; break;
      case 'date_of_birth': f.date_of_birth = v as string | undefined; break;
      case 'street': f.street = v as string | undefined; break;
      case 'city': f.city = v as string | undefined; break;
      case 'state': f.state = v as string | undefined; break;
      case 'zip': f.zip = v as string | undefined; break;
      case 'country': f.country = v as string | undefined; break;
      case 'client_ip_address': f.client_ip_address = v as string | undefined; break;
      case 'client_user_agent': f.client_user_agent = v as string | undefined; break;
      case 'fbc': f.fbc = v as string | undefined; break;
      case 'fbp': f.fbp = v as string | undefined; break;
      case 'fbclid': f.fbclid = v as string | undefined; break;
      case 'click_time': f.click_time = v as number | undefined; break;
      case 'ttclid': f.ttclid = v as string | undefined; break;
      case 'ttp': f.ttp = v as string | undefined; break;
      case 'epik': f.epik = v as string | undefined; break;
      case 'gclid': f.gclid = v as string | undefined; break;
      case 'gbraid': f.gbraid = v as string | undefined; break;
      case 'wbraid': f.wbraid = v as string | undefined; break;
      case 'sccid': f.sccid = v as string | undefined; break;
      case 'scid': f.scid = v as string | undefined; break;
      case 'msclkid': f.msclkid = v as string | undefined; break;
      case 'rdt_cid': f.rdt_cid = v as string | undefined; break;
      case 'rdt_uuid': f.rdt_uuid = v as string | undefined; break;
      case 'ga_client_id': f.ga_client_id = v as string | undefined; break;
      case 'ga_session_id': f.ga_session_id = v as string | undefined; break;
    }
  }
  return f;
}

type Report = (code: FindingCode, field: string, detail?: string, platforms?: PlatformName[]) => void;

interface HashedName {
  plain: Sha256Hex;
  meta: Sha256Hex;
  contact?: string;
}

function hashName(raw: string, field: string, report: Report): HashedName | undefined {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return undefined;
  const pre = classifyPrehashed(trimmed);
  if (pre.kind === 'hash') return { plain: pre.hex, meta: pre.hex };
  if (pre.kind === 'malformed') {
    report('PREHASHED_MALFORMED', field, pre.detail);
    return undefined;
  }
  const result = normalizeName(trimmed);
  if (result.ok === false) {
    report('NAME_INVALID', field, result.detail);
    return undefined;
  }
  if (result.ok === 'empty') return undefined;
  const plain = sha256Hex(result.plain);
  return { plain, meta: result.meta === result.plain ? plain : sha256Hex(result.meta), contact: nfc(trimmed) };
}

function reporter(findings: Finding[]): Report {
  return (code, field, detail, platforms) => {
    const finding: Finding = { code, field };
    if (detail !== undefined) finding.detail = detail;
    if (platforms !== undefined) finding.platforms = platforms;
    findings.push(finding);
  };
}

// email, phone and external_id take up to 10 values (schema MAX_IDS); a finding's path has the index only for arrays.
function asArray(value: string | string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

function fieldPath(field: string, value: string | string[], index: number): string {
  return typeof value === 'string' ? field : `${field}.${String(index)}`;
}

// Each list deduped on its own, first-seen order kept: two gmail spellings are two `em` but one `em_google`.
function pushBoth(first: Sha256Hex[], second: Sha256Hex[], a: Sha256Hex, b: Sha256Hex): void {
  if (!first.includes(a)) first.push(a);
  if (!second.includes(b)) second.push(b);
}

function setGeo(user: HashedUser, key: 'city' | 'state' | 'zip' | 'country', value: string): void {
  (user.geo ??= {})[key] = value;
}

function clickId(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  return value.length > 0 ? value : undefined;
}

function writtenLocation(input: { city?: string | undefined; state?: string | undefined; zip?: string | undefined; country?: string | undefined }): PlainContact['location'] {
  const city = written(input.city);
  const region = written(input.state);
  const zip = written(input.zip);
  const country = written(input.country);
  if (city === undefined && region === undefined && zip === undefined && country === undefined) return undefined;
  // Keys in this order, each only when written: as the location has always been built.
  const out: NonNullable<PlainContact['location']> = {};
  if (city !== undefined) out.city = city;
  if (region !== undefined) out.region = region;
  if (zip !== undefined) out.zip = zip;
  if (country !== undefined) out.country = country;
  return out;
}

function written(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const text = collapseSpaces(nfc(raw.trim()));
  return text.length > 0 && classifyPrehashed(text).kind === 'plain' ? text : undefined;
}

