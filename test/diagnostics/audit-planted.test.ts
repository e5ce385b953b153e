import { PLATFORM_NAMES } from '../../src/event/names.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditText } from '../../src/diagnostics/audit.js';
import { FINDING_CATALOG } from '../../src/diagnostics/finding-catalog.js';
import type { FindingCode } from '../../src/identity/findings.js';

// Every event of the fixture is clean except for the one problem its id names (plant_<finding code>); the five
// plant_shared_ip_* events share one IP. Each finding must fire on exactly its planted events and nowhere else.
const FILE = 'test/fixtures/diagnostics/planted-events.json';
const T = 1764326400;

const planted = (code: FindingCode) => [`plant_${code.toLowerCase()}`];

const EXPECTED: Partial<Record<FindingCode, string[]>> = {
  SHARED_IP: [0, 1, 2, 3, 4].map((i) => `plant_shared_ip_${i}`),
  // The website event without a user agent is also one Meta's incomplete_website_events policy changes.
  WEBSITE_EVENT_INCOMPLETE: ['plant_missing_user_agent'],
};
for (const code of [
  'EMAIL_INVALID',
  'PHONE_INVALID',
  'PHONE_NO_COUNTRY',
  'PREHASHED_MALFORMED',
  'GENDER_INVALID',
  'DOB_INVALID',
  'COUNTRY_INVALID',
  'ZIP_INVALID',
  'STATE_INVALID',
  'NAME_INVALID',
  'CITY_INVALID',
  'SERVER_IP',
  'IP_HAS_PORT',
  'IP_INVALID',
  'MISSING_CLIENT_IP',
  'MISSING_USER_AGENT',
  'FBC_MALFORMED',
  'FBC_AFTER_EVENT',
  'FBC_DERIVED',
  'FBP_MALFORMED',
  'EVENT_TOO_OLD',
  'EVENT_IN_FUTURE',
  'NONSTANDARD_EVENT_NAME',
  'MISSING_CURRENCY',
  'INVALID_VALUE',
  'NO_DETERMINISTIC_KEY',
] as const) {
  EXPECTED[code] = planted(code);
}

describe('audit of planted findings', () => {
  const report = auditText(readFileSync(FILE, 'utf8'), FILE, { identity: {}, nowSec: T + 600 });
  const byCode = new Map(report.warnings.map((w) => [w.code, w]));

  it('reports each planted finding on exactly its events', () => {
    // Not planted: every website event of the file lacks GA's cookies (GA4_NO_CLIENT_ID, src/platforms/ga4/lint.ts).
    const planted = report.warnings.filter((w) => w.code !== 'MISSING_EVENT_ID' && w.code !== 'GA4_NO_CLIENT_ID');
    expect(Object.fromEntries(planted.map((w) => [w.code, w.examples]))).toEqual(EXPECTED);
    for (const w of planted) expect(w.count).toBe(w.examples.length);
  });

  it('reports the event without an event_id under its generated id', () => {
    const missing = byCode.get('MISSING_EVENT_ID');
    expect(missing?.count).toBe(1);
    expect(missing?.examples[0]).toMatch(/^mk_/);
  });

  it('names the platforms each finding matters to', () => {
    expect(byCode.get('SERVER_IP')?.platforms).toEqual(['meta', 'tiktok', 'pinterest', 'snapchat', 'microsoft', 'reddit']);
    expect(byCode.get('FBC_MALFORMED')?.platforms).toEqual(['meta']);
    expect(byCode.get('EVENT_TOO_OLD')?.platforms).toEqual(['meta', 'ga4', 'reddit']); // each refuses events past its age limit
    expect(byCode.get('NO_DETERMINISTIC_KEY')?.platforms).toEqual([...PLATFORM_NAMES]);
  });

  it('carries the catalog’s severity, message and fix', () => {
    for (const w of report.warnings) {
      expect(w).toMatchObject({ severity: FINDING_CATALOG[w.code].severity, message: FINDING_CATALOG[w.code].message, fix: FINDING_CATALOG[w.code].fix });
    }
    expect(report.warnings[0]?.severity).toBe('error');
  });

  it('never echoes a raw identity value', () => {
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/@example\.com|not-an-email|"6505551212"/);
  });
});
