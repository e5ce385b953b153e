import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { addDays, daysBetween, eachDay, parseIsoDate, parseTimestamp, utcDate } from './dates.js';

describe('parseIsoDate', () => {
  it('accepts a real calendar day', () => {
    expect(parseIsoDate('2024-02-29', '--from')).toBe('2024-02-29');
  });
  it.each(['2025-02-29', '2025-13-01', '2025-1-5', 'yesterday', '2025/01/05'])('refuses %s naming the option', (v) => {
    expect(() => parseIsoDate(v, '--to')).toThrow(InputError);
    try {
      parseIsoDate(v, '--to');
    } catch (err) {
      expect((err as InputError).path).toBe('--to');
    }
  });
});

describe('day arithmetic (UTC)', () => {
  it('crosses months and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-01-31', 7)).toBe('2025-02-07');
    expect(daysBetween('2025-01-01', '2025-02-01')).toBe(31);
    expect(eachDay('2025-01-30', '2025-02-02')).toEqual(['2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02']);
  });
});

describe('parseTimestamp', () => {
  it("reads Shopify's export form with its offset", () => {
    // 23:30 in New York on New Year's Eve is already 04:30 on 1 January in UTC.
    const ms = parseTimestamp('2024-12-31 23:30:00 -0500', 'x')!;
    expect(new Date(ms).toISOString()).toBe('2025-01-01T04:30:00.000Z');
    expect(utcDate(ms)).toBe('2025-01-01');
  });
  it('reads the REST form and Z', () => {
    expect(parseTimestamp('2025-01-15T10:23:45+01:00', 'x')).toBe(Date.parse('2025-01-15T09:23:45Z'));
    expect(parseTimestamp('2025-01-15T10:23:45.250Z', 'x')).toBe(Date.parse('2025-01-15T10:23:45.250Z'));
  });
  it('reads a timestamp without offset as UTC, and an empty cell as absent', () => {
    expect(parseTimestamp('2025-01-15 10:00', 'x')).toBe(Date.parse('2025-01-15T10:00:00Z'));
    expect(parseTimestamp('', 'x')).toBeUndefined();
    expect(parseTimestamp(null, 'x')).toBeUndefined();
  });
  it('refuses what is not a timestamp, naming the cell', () => {
    expect(() => parseTimestamp('15/01/2025', 'orders.csv:4.Paid at')).toThrow(/orders\.csv:4\.Paid at/);
    expect(() => parseTimestamp('2025-02-30 10:00:00', 'x')).toThrow(InputError);
  });
});
