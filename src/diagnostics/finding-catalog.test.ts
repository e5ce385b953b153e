import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../identity/findings.js';
import { FINDING_CATALOG } from './finding-catalog.js';

describe('FINDING_CATALOG', () => {
  it('has a message and a fix for every finding code', () => {
    expect(Object.keys(FINDING_CATALOG).sort()).toEqual([...FINDING_CODES].sort());
    for (const entry of Object.values(FINDING_CATALOG)) {
      expect(entry.message.length).toBeGreaterThan(20);
      expect(entry.fix.length).toBeGreaterThan(20);
    }
  });

  it('marks as errors exactly the codes where the platform drops or mis-attributes the event', () => {
    const errors = Object.entries(FINDING_CATALOG)
      .filter(([, e]) => e.severity === 'error')
      .map(([code]) => code)
      .sort();
    expect(errors).toEqual(
      ['EVENT_IN_FUTURE', 'EVENT_TOO_OLD', 'FBC_MALFORMED', 'INVALID_VALUE', 'MISSING_CURRENCY', 'NO_DETERMINISTIC_KEY', 'SERVER_IP'].sort(),
    );
    expect(FINDING_CATALOG.SHARED_IP.severity).toBe('warn');
  });

  it('tells the operator to forward the shopper’s IP for SERVER_IP', () => {
    expect(FINDING_CATALOG.SERVER_IP.fix).toMatch(/forward the shopper’s IP from the inbound request, not the server’s/);
  });
});
