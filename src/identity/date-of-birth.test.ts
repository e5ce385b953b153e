import { describe, expect, it } from 'vitest';
import { normalizeDateOfBirth } from './date-of-birth.js';

const NOW = new Date('2026-06-15T12:00:00Z');

describe('normalizeDateOfBirth', () => {
  it.each([
    ['1990-02-01', undefined, '19900201'],
    ['19900201', undefined, '19900201'],
    ['1990/2/1', undefined, '19900201'],
    ['1990-02-01T00:00:00Z', undefined, '19900201'],
    ['1990-02-01 23:30:00-08:00', undefined, '19900201'], // the date part, no time-zone shift
    ['02/01/1990', 'US', '19900201'], // US: month first
    ['02/01/1990', undefined, '19900201'], // unknown country: US convention
    ['02/01/1990', 'GB', '19900102'], // elsewhere: day first
    ['01.02.1990', 'US', '19900201'], // dots are always day.month
    ['25/12/1990', 'US', '19901225'], // a part > 12 decides
    ['12/25/1990', 'FR', '19901225'],
    ['2000-02-29', undefined, '20000229'],
  ])('%s (country %s) → %s', (raw, country, expected) => {
    expect(normalizeDateOfBirth(raw, country, NOW)).toEqual({ ok: true, yyyymmdd: expected });
  });
  it.each([
    ['1899-12-31', 'year outside 1900..2026'],
    ['2027-01-01', 'year outside 1900..2026'],
    ['2026-12-01', 'in the future'],
    ['1990-13-01', 'month out of range'],
    ['1990-02-30', 'day out of range'],
    ['1900-02-29', 'day out of range'],
    ['13/13/1990', 'month out of range'],
    ['02/01/90', 'year must have 4 digits'],
    ['1990-02/01', 'mixed separators'],
    ['Feb 1 1990', 'not a date'],
    ['1990', 'not a date'],
    ['', 'empty'],
  ])('rejects %s (%s)', (raw, detail) => {
    expect(normalizeDateOfBirth(raw, undefined, NOW)).toEqual({ ok: false, detail });
  });
});
