import { InputError } from '../errors.js';

// Money is summed in thousandths (integers) so that a thousand orders of 19.99 add up to exactly 19990, not
// 19989.999999…; three decimals also cover the currencies that have them (BHD, KWD).

export function toMilli(amount: number): number {
  return Math.round(amount * 1000);
}
export function fromMilli(milli: number): number {
  return Math.round(milli) / 1000;
}

const PLAIN = /^-?\d+(\.\d+)?$/;
const THOUSANDS = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;

/**
 * Reads an amount or a count from an export cell. Empty, `-` and `--` (what ad exports print for nothing) are 0;
 * `1,234.56` drops the thousands separators; a currency sign or code around the number is tolerated. Anything else
 * is an InputError naming the cell, never a silent NaN.
 */
export function parseAmount(value: unknown, path: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new InputError(path, 'expected a number', 'invalid_number');
  }
  if (value === undefined || value === null) return 0;
  let text = String(value).trim();
  if (text === '' || text === '-' || text === '--') return 0;
  text = text.replace(/^[A-Z]{3}\s*/, '').replace(/\s*[A-Z]{3}$/, '').replace(/^[$€£¥]/, '').trim();
  if (PLAIN.test(text)) return Number(text);
  if (THOUSANDS.test(text)) return Number(text.replace(/,/g, ''));
  throw new InputError(path, `expected a number, got "${String(value)}"`, 'invalid_number');
}

/** share = part / whole rounded to 4 decimals; null when the whole is 0 (a share of nothing is undefined). */
export function ratio(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}
