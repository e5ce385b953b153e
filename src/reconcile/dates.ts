import { InputError } from '../errors.js';

// Reconciliation windows are whole calendar days in UTC: an order belongs to the UTC date of its paid instant,
// so one report means the same thing on every machine, whatever its time zone (docs/RECONCILE.md "Windows").

export const DAY_MS = 86_400_000;

/** A calendar date `YYYY-MM-DD`. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a strict `YYYY-MM-DD` that names a real calendar day; InputError naming `path` otherwise. */
export function parseIsoDate(value: string, path: string): IsoDate {
  const m = ISO_DATE.exec(value.trim());
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (utcDate(ms) === value.trim()) return value.trim();
  }
  throw new InputError(path, `expected a date as YYYY-MM-DD, got "${value}"`, 'invalid_date');
}

/** The UTC calendar date of a unix-ms instant. */
export function utcDate(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Unix ms of 00:00:00.000 UTC of a date. */
export function startOfDay(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00.000Z`);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return utcDate(startOfDay(date) + days * DAY_MS);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((startOfDay(b) - startOfDay(a)) / DAY_MS);
}

/** Every date of [from, to], inclusive. */
export function eachDay(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

// Shopify exports write `2025-01-15 10:23:45 -0500`; the REST API writes `2025-01-15T10:23:45-05:00`.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a Shopify timestamp into unix ms. A timestamp without an offset is read as UTC (documented), since the
 * export's offset is the only clue to the shop's time zone. Returns undefined for an empty cell.
 */
export function parseTimestamp(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const text = String(value).trim();
  if (text === '') return undefined;
  const m = TIMESTAMP.exec(text);
  if (!m) throw new InputError(path, `expected a timestamp such as 2025-01-15 10:23:45 -0500, got "${text}"`, 'invalid_date');
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (zone && zone.toUpperCase() !== 'Z' && zone.toUpperCase() !== 'UTC') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  if (!Number.isFinite(ms) || utcDate(Date.UTC(Number(y), Number(mo) - 1, Number(d))) !== `${y}-${mo}-${d}`) {
    throw new InputError(path, `not a real date: "${text}"`, 'invalid_date');
  }
  return ms;
}
