// Date of birth → YYYYMMDD (Meta `db`,
// https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters;
// src/platforms/pinterest/README.md). Accepted: YYYY-MM-DD (also with / or .), YYYYMMDD, an ISO datetime (its date
// part, no time-zone shift: a birthday is a calendar date), and day/month/year with `/`, `-` or `.`. Which of the
// first two numbers is the month: a part above 12 decides; otherwise `.` means DD.MM.YYYY (the European convention),
// and `/` or `-` means MM/DD/YYYY when the shopper's country is the US or unknown (Shopify's default locale) and
// DD/MM/YYYY elsewhere. Years outside 1900..now are data-entry mistakes (PB accepts 1800.., but nobody alive was born
// then).

export type DobResult = { ok: true; yyyymmdd: string } | { ok: false; detail: string };

const MIN_YEAR = 1900;
const MONTH_FIRST_COUNTRIES = new Set(['US', 'PH', 'FM', 'MH', 'PW', 'AS', 'GU', 'MP', 'PR', 'VI', 'UM']);

export function normalizeDateOfBirth(raw: string, country?: string, now: Date = new Date()): DobResult {
  const text = raw.trim();
  if (text.length === 0) return { ok: false, detail: 'empty' };
  const parts: string[] = [];
  let separator = '';
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      current += ch;
      continue;
    }
    if (parts.length === 2 && parts[0]?.length === 4 && current.length > 0 && (ch === 'T' || ch === 't' || ch === ' ')) {
      break; // ISO datetime: the date part is enough
    }
    if (ch !== '-' && ch !== '/' && ch !== '.') return { ok: false, detail: 'not a date' };
    if (separator === '') separator = ch;
    else if (separator !== ch) return { ok: false, detail: 'mixed separators' };
    if (current.length === 0) return { ok: false, detail: 'not a date' };
    parts.push(current);
    current = '';
  }
  if (current.length > 0) parts.push(current);

  let year: number;
  let month: number;
  let day: number;
  if (parts.length === 1 && parts[0]?.length === 8) {
    const digits = parts[0];
    year = Number(digits.slice(0, 4));
    month = Number(digits.slice(4, 6));
    day = Number(digits.slice(6, 8));
  } else if (parts.length === 3) {
    const [a, b, c] = parts as [string, string, string];
    if (a.length === 4 && b.length <= 2 && c.length <= 2) {
      year = Number(a);
      month = Number(b);
      day = Number(c);
    } else if (c.length === 4 && a.length <= 2 && b.length <= 2) {
      year = Number(c);
      const first = Number(a);
      const second = Number(b);
      const monthFirst =
        first > 12 ? false : second > 12 ? true : separator === '.' ? false : country === undefined || MONTH_FIRST_COUNTRIES.has(country);
      month = monthFirst ? first : second;
      day = monthFirst ? second : first;
    } else {
      return { ok: false, detail: 'year must have 4 digits' };
    }
  } else {
    return { ok: false, detail: 'not a date' };
  }

  if (month < 1 || month > 12) return { ok: false, detail: 'month out of range' };
  if (day < 1 || day > daysInMonth(year, month)) return { ok: false, detail: 'day out of range' };
  const thisYear = now.getUTCFullYear();
  if (year < MIN_YEAR || year > thisYear) return { ok: false, detail: `year outside ${String(MIN_YEAR)}..${String(thisYear)}` };
  const yyyymmdd = `${String(year)}${pad2(month)}${pad2(day)}`;
  const today = thisYear * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
  if (Number(yyyymmdd) > today + 1) return { ok: false, detail: 'in the future' };
  return { ok: true, yyyymmdd };
}

function pad2(n: number): string {
  return n < 10 ? `0${String(n)}` : String(n);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
