import { createRequire } from 'node:module';
import { getCountries } from 'libphonenumber-js/min';
import { asciiAlnum, collapseSpaces, nfc } from './text.js';

// Geography (the meta, pinterest, google and klaviyo READMEs under src/platforms/). Meta and Pinterest hash
// ct/st/zp/country; Google takes city, state, postal code and country code UNHASHED; Klaviyo raw. So we produce the
// hash input and a plain form.
//
// Choices, documented because the platforms disagree:
// - city `ct`: lowercase, accents folded (`São Paulo` → `saopaulo`), then only [a-z0-9] (Meta PB rule,
//   https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters,
//   Pinterest "no spaces/punctuation"). Folding keeps Latin-script cities matchable instead of losing letters;
//   a city with no Latin letters at all (`東京`) has no `ct` (CITY_INVALID, Meta/Pinterest only) but keeps its
//   plain form for Google.
// - zip: US → the first 5 digits (ZIP+4 cut); elsewhere lowercase with spaces and dashes removed (Meta docs
//   "no spaces and no dash", TikTok removes spaces/dashes). Meta PB keeps only the part before `-`, which
//   would cut `00-950` (PL) to `00`, so we do not follow it there. UK postcodes are sent whole.

// ---- country ----

// ISO 3166-1 alpha-3 → alpha-2 (plus XK/XKX, the Kosovo code in common use).
const ALPHA3 =
  'AFG AF ALA AX ALB AL DZA DZ ASM AS AND AD AGO AO AIA AI ATA AQ ATG AG ARG AR ARM AM ABW AW AUS AU AUT AT AZE AZ ' +
  'BHS BS BHR BH BGD BD BRB BB BLR BY BEL BE BLZ BZ BEN BJ BMU BM BTN BT BOL BO BES BQ BIH BA BWA BW BVT BV BRA BR ' +
  'IOT IO BRN BN BGR BG BFA BF BDI BI CPV CV KHM KH CMR CM CAN CA CYM KY CAF CF TCD TD CHL CL CHN CN CXR CX CCK CC ' +
  'COL CO COM KM COG CG COD CD COK CK CRI CR CIV CI HRV HR CUB CU CUW CW CYP CY CZE CZ DNK DK DJI DJ DMA DM DOM DO ' +
  'ECU EC EGY EG SLV SV GNQ GQ ERI ER EST EE SWZ SZ ETH ET FLK FK FRO FO FJI FJ FIN FI FRA FR GUF GF PYF PF ATF TF ' +
  'GAB GA GMB GM GEO GE DEU DE GHA GH GIB GI GRC GR GRL GL GRD GD GLP GP GUM GU GTM GT GGY GG GIN GN GNB GW GUY GY ' +
  'HTI HT HMD HM VAT VA HND HN HKG HK HUN HU ISL IS IND IN IDN ID IRN IR IRQ IQ IRL IE IMN IM ISR IL ITA IT JAM JM ' +
  'JPN JP JEY JE JOR JO KAZ KZ KEN KE KIR KI PRK KP KOR KR KWT KW KGZ KG LAO LA LVA LV LBN LB LSO LS LBR LR LBY LY ' +
  'LIE LI LTU LT LUX LU MAC MO MDG MG MWI MW MYS MY MDV MV MLI ML MLT MT MHL MH MTQ MQ MRT MR MUS MU MYT YT MEX MX ' +
  'FSM FM MDA MD MCO MC MNG MN MNE ME MSR MS MAR MA MOZ MZ MMR MM NAM NA NRU NR NPL NP NLD NL NCL NC NZL NZ NIC NI ' +
  'NER NE NGA NG NIU NU NFK NF MKD MK MNP MP NOR NO OMN OM PAK PK PLW PW PSE PS PAN PA PNG PG PRY PY PER PE PHL PH ' +
  'PCN PN POL PL PRT PT PRI PR QAT QA REU RE ROU RO RUS RU RWA RW BLM BL SHN SH KNA KN LCA LC MAF MF SPM PM VCT VC ' +
  'WSM WS SMR SM STP ST SAU SA SEN SN SRB RS SYC SC SLE SL SGP SG SXM SX SVK SK SVN SI SLB SB SOM SO ZAF ZA SGS GS ' +
  'SSD SS ESP ES LKA LK SDN SD SUR SR SJM SJ SWE SE CHE CH SYR SY TWN TW TJK TJ TZA TZ THA TH TLS TL TGO TG TKL TK ' +
  'TON TO TTO TT TUN TN TUR TR TKM TM TCA TC TUV TV UGA UG UKR UA ARE AE GBR GB USA US UMI UM URY UY UZB UZ VUT VU ' +
  'VEN VE VNM VN VGB VG VIR VI WLF WF ESH EH YEM YE ZMB ZM ZWE ZW XKX XK';

const ALPHA3_TO_ALPHA2 = new Map<string, string>();
const ALPHA2 = new Set<string>();
{
  const tokens = ALPHA3.split(' ');
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    ALPHA3_TO_ALPHA2.set(tokens[i] as string, tokens[i + 1] as string);
    ALPHA2.add(tokens[i + 1] as string);
  }
  for (const code of getCountries()) ALPHA2.add(code);
}

// English names (and the usual other spellings) → alpha-2, keyed by asciiAlnum(name).
const COUNTRY_NAMES = new Map<string, string>();
{
  const english = new Intl.DisplayNames(['en'], { type: 'region' });
  const addName = (name: string, code: string): void => {
    const key = asciiAlnum(name);
    if (key.length > 3 && !COUNTRY_NAMES.has(key)) COUNTRY_NAMES.set(key, code);
  };
  for (const code of ALPHA2) {
    const name = english.of(code);
    if (!name || name === code) continue;
    const spelled = name.replaceAll('&', 'and');
    for (const variant of [name, spelled, spelled.replace(/\bSt\.\s/g, 'Saint '), name.replace(/\s*\(.*\)$/, '')]) {
      addName(variant, code);
    }
    const inParentheses = /\(([^)]*)\)$/.exec(name);
    if (inParentheses?.[1]) addName(inParentheses[1], code);
  }
  const aliases: [string, string][] = [
    ['United States of America', 'US'], ['America', 'US'], ['U.S.A.', 'US'], ['Great Britain', 'GB'], ['Britain', 'GB'],
    ['England', 'GB'], ['Scotland', 'GB'], ['Wales', 'GB'], ['Northern Ireland', 'GB'], ['South Korea', 'KR'],
    ['Korea', 'KR'], ['Republic of Korea', 'KR'], ['Korea, Republic of', 'KR'], ['Russian Federation', 'RU'],
    ['Czech Republic', 'CZ'], ['Turkey', 'TR'], ['Turkiye', 'TR'], ['Ivory Coast', 'CI'], ['Holland', 'NL'],
    ['The Netherlands', 'NL'], ['Vatican', 'VA'], ['Holy See', 'VA'], ['Macau', 'MO'], ['Hong Kong', 'HK'],
    ['Democratic Republic of the Congo', 'CD'], ['Republic of the Congo', 'CG'], ['Congo', 'CG'], ['Swaziland', 'SZ'],
    ['Cabo Verde', 'CV'], ['East Timor', 'TL'], ['Macedonia', 'MK'], ['United Arab Emirates', 'AE'], ['Palestine', 'PS'],
    ['Viet Nam', 'VN'], ['Lao PDR', 'LA'], ['Iran, Islamic Republic of', 'IR'], ['Syrian Arab Republic', 'SY'],
    ['Deutschland', 'DE'], ['España', 'ES'], ['Brasil', 'BR'], ['México', 'MX'], ['Italia', 'IT'], ['Österreich', 'AT'],
    ['Schweiz', 'CH'], ['Suisse', 'CH'], ['Svizzera', 'CH'], ['Nederland', 'NL'], ['Belgique', 'BE'], ['België', 'BE'],
    ['Sverige', 'SE'], ['Norge', 'NO'], ['Danmark', 'DK'], ['Suomi', 'FI'], ['Polska', 'PL'], ['Éire', 'IE'],
    ['Taiwan, Province of China', 'TW'], ['Republic of China', 'TW'], ["People's Republic of China", 'CN'],
  ];
  for (const [name, code] of aliases) addName(name, code);
}

/** Alpha-2 uppercase, or `undefined` when the input is no country we know. */
export function normalizeCountry(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (trimmed.length === 2) {
    const code = trimmed.toUpperCase();
    if (ALPHA2.has(code)) return code;
    return code === 'UK' ? 'GB' : undefined;
  }
  if (trimmed.length === 3) {
    const code = ALPHA3_TO_ALPHA2.get(trimmed.toUpperCase());
    if (code) return code;
  }
  return COUNTRY_NAMES.get(asciiAlnum(trimmed));
}

// ---- state / province ----

const US_STATES: [string, string][] = [
  ['Alabama', 'AL'], ['Alaska', 'AK'], ['Arizona', 'AZ'], ['Arkansas', 'AR'], ['California', 'CA'], ['Colorado', 'CO'],
  ['Connecticut', 'CT'], ['Delaware', 'DE'], ['Florida', 'FL'], ['Georgia', 'GA'], ['Hawaii', 'HI'], ['Idaho', 'ID'],
  ['Illinois', 'IL'], ['Indiana', 'IN'], ['Iowa', 'IA'], ['Kansas', 'KS'], ['Kentucky', 'KY'], ['Louisiana', 'LA'],
  ['Maine', 'ME'], ['Maryland', 'MD'], ['Massachusetts', 'MA'], ['Michigan', 'MI'], ['Minnesota', 'MN'],
  ['Mississippi', 'MS'], ['Missouri', 'MO'], ['Montana', 'MT'], ['Nebraska', 'NE'], ['Nevada', 'NV'],
  ['New Hampshire', 'NH'], ['New Jersey', 'NJ'], ['New Mexico', 'NM'], ['New York', 'NY'], ['North Carolina', 'NC'],
  ['North Dakota', 'ND'], ['Ohio', 'OH'], ['Oklahoma', 'OK'], ['Oregon', 'OR'], ['Pennsylvania', 'PA'],
  ['Rhode Island', 'RI'], ['South Carolina', 'SC'], ['South Dakota', 'SD'], ['Tennessee', 'TN'], ['Texas', 'TX'],
  ['Utah', 'UT'], ['Vermont', 'VT'], ['Virginia', 'VA'], ['Washington', 'WA'], ['West Virginia', 'WV'],
  ['Wisconsin', 'WI'], ['Wyoming', 'WY'], ['District of Columbia', 'DC'], ['Washington DC', 'DC'],
  ['Washington D.C.', 'DC'], ['Puerto Rico', 'PR'], ['Guam', 'GU'], ['U.S. Virgin Islands', 'VI'],
  ['Virgin Islands', 'VI'], ['American Samoa', 'AS'], ['Northern Mariana Islands', 'MP'], ['Marshall Islands', 'MH'],
  ['Federated States of Micronesia', 'FM'], ['Palau', 'PW'], ['Armed Forces Americas', 'AA'],
  ['Armed Forces Europe', 'AE'], ['Armed Forces Pacific', 'AP'],
];
const CA_PROVINCES: [string, string][] = [
  ['Alberta', 'AB'], ['British Columbia', 'BC'], ['Manitoba', 'MB'], ['New Brunswick', 'NB'],
  ['Newfoundland and Labrador', 'NL'], ['Newfoundland', 'NL'], ['Nova Scotia', 'NS'], ['Ontario', 'ON'],
  ['Prince Edward Island', 'PE'], ['Quebec', 'QC'], ['Québec', 'QC'], ['Saskatchewan', 'SK'],
  ['Northwest Territories', 'NT'], ['Nunavut', 'NU'], ['Yukon', 'YT'], ['Yukon Territory', 'YT'],
];

const GERMAN_STATE_EXONYMS: [string, string][] = [
  ['Bavaria', 'BY'], ['Hesse', 'HE'], ['Lower Saxony', 'NI'], ['North Rhine-Westphalia', 'NW'], ['Rhineland-Palatinate', 'RP'],
  ['Saxony', 'SN'], ['Saxony-Anhalt', 'ST'], ['Thuringia', 'TH'], ['Mecklenburg-Western Pomerania', 'MV'],
];

function stateTable(entries: [string, string][]): Map<string, string> {
  const table = new Map<string, string>();
  for (const [name, code] of entries) {
    table.set(asciiAlnum(name), code);
    table.set(code.toLowerCase(), code);
  }
  return table;
}
const US_STATE_CODES = stateTable(US_STATES);
const CA_PROVINCE_CODES = stateTable(CA_PROVINCES);

/**
 * Countries whose ISO 3166-2 subdivision codes are all two letters (India MH, Germany BY, Brazil SP, …), from
 * country-region-data (its `shortCode` is the ISO 3166-2 code after the country prefix): subdivision name or code →
 * the code. Pinterest's `st` is "two-character state code" (pinterest/api-description v5/openapi.json,
 * ConversionEventsUserData.st) and Meta's param builder truncates to two letters, so for these countries the full
 * name hashed would match nothing. Countries with longer or numeric codes (AU NSW, FR ARA, JP 13) keep the
 * normalized name. US and Canada use the tables above, which also know common spellings (Washington DC, Québec).
 */
const TWO_LETTER_SUBDIVISIONS = ((): Map<string, Map<string, string>> => {
  const require = createRequire(import.meta.url);
  const countries = require('country-region-data/data.json') as { countryShortCode: string; regions: { name: string; shortCode: string }[] }[];
  const byCountry = new Map<string, Map<string, string>>([['US', US_STATE_CODES], ['CA', CA_PROVINCE_CODES]]);
  for (const c of countries) {
    if (byCountry.has(c.countryShortCode) || c.regions.length === 0) continue;
    if (!c.regions.every((r) => /^[A-Z]{2}$/.test(r.shortCode))) continue;
    byCountry.set(c.countryShortCode, stateTable(c.regions.map((r) => [r.name, r.shortCode])));
  }
  // The data names German states in German; shoppers writing in English use the exonyms.
  const de = byCountry.get('DE');
  for (const [name, code] of GERMAN_STATE_EXONYMS) de?.set(asciiAlnum(name), code);
  return byCountry;
})();

export type StateResult = { ok: true; hashInput: string; plain: string } | { ok: false; detail: string } | { ok: 'empty' };

/**
 * `st` (Meta param builder getNormalizedState; Pinterest ConversionEventsUserData.st): in a country whose subdivision codes are two letters, the code (full names
 * mapped); elsewhere lowercase without punctuation or spaces. `plain` is for Google (uppercase code, or as given).
 */
export function normalizeState(raw: string, country: string | undefined): StateResult {
  const plainGiven = collapseSpaces(nfc(raw));
  const key = asciiAlnum(plainGiven);
  if (plainGiven.length === 0) return { ok: 'empty' };
  const table = country === undefined ? undefined : TWO_LETTER_SUBDIVISIONS.get(country);
  if (country === undefined || table) {
    const code = table ? table.get(key) : (US_STATE_CODES.get(key) ?? CA_PROVINCE_CODES.get(key));
    if (code) return { ok: true, hashInput: code.toLowerCase(), plain: code };
    if (country !== undefined) {
      const what = country === 'US' ? 'US state' : country === 'CA' ? 'Canadian province' : `subdivision of ${country}`;
      return { ok: false, detail: `not a ${what}` };
    }
  }
  if (key.length === 0) return { ok: false, detail: 'no letters or digits' };
  return { ok: true, hashInput: key, plain: plainGiven };
}

// ---- zip ----

export type ZipResult = { ok: true; zip: string } | { ok: false; detail: string } | { ok: 'empty' };

export function normalizeZip(raw: string, country: string | undefined): ZipResult {
  const trimmed = raw.trim();
  if (trimmed.length === 0) return { ok: 'empty' };
  if (country === 'US' || country === undefined) {
    const us = usZip5(trimmed);
    if (us) return { ok: true, zip: us };
    if (country === 'US') return { ok: false, detail: 'a US ZIP code has 5 digits (or ZIP+4)' };
  }
  let zip = '';
  const lower = trimmed.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (c === 32 || c === 45) continue;
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return { ok: false, detail: 'only letters, digits, spaces and dashes allowed' };
    zip += lower[i];
  }
  if (zip.length < 2 || zip.length > 10) return { ok: false, detail: 'length outside 2..10' };
  return { ok: true, zip };
}

// `94025`, `94025-1234`, `940251234`, `94025 1234` → `94025`.
function usZip5(s: string): string | undefined {
  for (let i = 0; i < 5; i++) if (!isDigitAt(s, i)) return undefined;
  if (s.length === 5) return s;
  let rest = 5;
  if (s.length === 10 && (s[5] === '-' || s[5] === ' ')) rest = 6;
  else if (s.length !== 9) return undefined;
  for (let i = rest; i < s.length; i++) if (!isDigitAt(s, i)) return undefined;
  return s.slice(0, 5);
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

// ---- city ----

export type CityResult = { ok: true; hashInput: string | undefined; plain: string } | { ok: 'empty' };

export function normalizeCity(raw: string): CityResult {
  const plain = collapseSpaces(nfc(raw)).toLowerCase();
  if (plain.length === 0) return { ok: 'empty' };
  const key = asciiAlnum(plain);
  return { ok: true, hashInput: key.length > 0 ? key : undefined, plain };
}
