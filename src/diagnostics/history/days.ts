import { InputError } from '../../errors.js';

// History is kept per UTC day ("YYYY-MM-DD"): one line point per day, whatever the operator's time zone.

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day of a unix-ms instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD` checked to be a real calendar day; InputError naming `path` otherwise. */
export function parseDay(text: string, path: string): string {
  const m = DAY.exec(text.trim());
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (utcDay(ms) === text.trim()) return text.trim();
  }
  throw new InputError(path, 'expected a date as YYYY-MM-DD');
}

/** [start, end) of a UTC day in unix ms. */
export function dayRange(day: string): { from: number; to: number } {
  const from = Date.parse(`${day}T00:00:00Z`);
  return { from, to: from + DAY_MS };
}

export function previousDay(day: string): string {
  return utcDay(dayRange(day).from - DAY_MS);
}
