import { describe, expect, it } from 'vitest';
import { dayRange, parseDay, previousDay, utcDay } from './days.js';

describe('days', () => {
  it('reads and writes UTC days', () => {
    expect(utcDay(Date.parse('2026-11-21T23:59:59.999Z'))).toBe('2026-11-21');
    expect(dayRange('2026-11-21')).toEqual({ from: Date.parse('2026-11-21T00:00:00Z'), to: Date.parse('2026-11-22T00:00:00Z') });
    expect(previousDay('2026-03-01')).toBe('2026-02-28');
  });

  it('refuses a day that is not a real calendar day, naming the path', () => {
    expect(parseDay('2026-02-28', 'date')).toBe('2026-02-28');
    expect(() => parseDay('2026-02-30', 'date')).toThrow(/date: expected a date as YYYY-MM-DD/);
    expect(() => parseDay('21/11/2026', 'body.date')).toThrow(/body\.date/);
  });
});
