import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditText } from '../../src/diagnostics/audit.js';
import { READINESS_LABEL } from '../../src/diagnostics/types.js';

// 4 events (JSONL): order_c1 carries every key; order_c2 email + IP + UA; order_c3 email + external_id;
// cart_c4 (add_to_cart) external_id + IP + UA. Coverage = events whose built request carried the key / sendable.
const FILE = 'test/fixtures/diagnostics/coverage-events.jsonl';
const report = auditText(readFileSync(FILE, 'utf8'), FILE, { identity: {}, nowSec: 1764326400 + 600 });

describe('coverage from built requests', () => {
  it('Meta: 3 of 4 with email → em 0.75, and readiness from the documented weights', () => {
    expect(report.platforms.meta).toMatchObject({
      events: 4,
      sendable: 4,
      coverage: {
        em: 0.75,
        ph: 0.25,
        external_id: 0.75,
        fbc: 0.25,
        fbp: 0.25,
        client_ip_address: 0.75,
        client_user_agent: 0.75,
        fn: 0.25,
        ln: 0.25,
        ct: 0.25,
        st: 0.25,
        zp: 0.25,
        country: 0.25,
        db: 0.25,
        ge: 0.25,
      },
      // 3×.75 + 1.5×.25 + 1×.75 + 1.5×.25 + .5×.25 + 1×.75 + .5×.75 + (.25+.25+.1+.1+.1+.1+.05+.05)×.25 = 5.25
      readiness: 5.3,
    });
  });

  it('per event name', () => {
    expect(report.platforms.meta?.by_event.purchase).toMatchObject({ events: 3, sendable: 3, coverage: { em: 1, external_id: 0.6667 } });
    expect(report.platforms.meta?.by_event.add_to_cart).toMatchObject({ events: 1, sendable: 1, coverage: { em: 0, external_id: 1 } });
  });

  it('TikTok, Pinterest and Klaviyo in their own wire names', () => {
    expect(report.platforms.tiktok?.coverage).toEqual({ email: 0.75, phone: 0.25, external_id: 0.75, ttclid: 0.25, ttp: 0.25, ip: 0.75, user_agent: 0.75 });
    expect(report.platforms.pinterest?.coverage).toMatchObject({ em: 0.75, click_id: 0.25, client_ip_address: 0.75, zp: 0.25 });
    expect(report.platforms.klaviyo).toMatchObject({ sendable: 4, coverage: { email: 0.75, phone_number: 0.25, external_id: 0.75 }, readiness: 6 });
  });

  it('Google: only the events it would receive (purchase has a conversion action) are the denominator', () => {
    expect(report.platforms.google).toMatchObject({
      events: 4,
      sendable: 3,
      // The Data Manager API takes the address too (the Google Ads API click conversions did not).
      coverage: { emailAddress: 1, phoneNumber: 0.3333, gclid: 0.3333, address: 0.3333 },
    });
    expect(report.platforms.google?.by_event.add_to_cart).toMatchObject({ sendable: 0, readiness: null, coverage: { emailAddress: null } });
  });

  it('labels the readiness figure', () => {
    expect(report.readiness_label).toBe(READINESS_LABEL);
    expect(READINESS_LABEL).toBe("Matchkey readiness (our estimate, not Meta's Event Match Quality)");
  });

  it('reports what is missing on the event that lacks it', () => {
    expect(report.warnings.map((w) => [w.code, w.examples])).toEqual([
      // No event of the file carries GA's _ga cookie (warnings on more events come first).
      ['GA4_NO_CLIENT_ID', ['order_c1', 'order_c2', 'order_c3', 'cart_c4']],
      ['MISSING_CLIENT_IP', ['order_c3']],
      ['MISSING_USER_AGENT', ['order_c3']],
      ['WEBSITE_EVENT_INCOMPLETE', ['order_c3']],
    ]);
  });
});
