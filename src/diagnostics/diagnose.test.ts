import { describe, expect, it } from 'vitest';
import { hashedEvent, input, sha } from '../../test/diagnostics/hashed-events.js';
import { PLATFORMS } from '../platforms/registry.js';
import { diagnose, hasErrors } from './diagnose.js';
import type { DiagnosticsScope } from './types.js';

const user = (email?: string) => ({ client_ip_address: '203.0.113.5', client_user_agent: 'UA', ...(email ? { em: [sha(email)] } : {}) });
const meta = PLATFORMS.meta.placeholderSettings;
const scope: DiagnosticsScope = { destinations: [{ platform: 'meta', settings: meta }] };
const now = 1_795_132_800;

describe('diagnose', () => {
  it('leaves events denied marketing consent out of the denominator and out of the findings', () => {
    const denied = hashedEvent({ event_id: 'denied', user: user(), consent: { marketing: false, limited_data_use: false }, findings: [{ code: 'NO_DETERMINISTIC_KEY' }] });
    const report = diagnose([input(hashedEvent({ event_id: 'ok', user: user('a@x.com') })), input(denied)], scope, { now });
    expect(report.platforms.meta).toMatchObject({ events: 2, sendable: 1, coverage: { em: 1 } });
    expect(report.warnings).toEqual([]);
    expect(hasErrors(report)).toBe(false);
  });

  it('counts a Shopify test order only where the destination is in test mode', () => {
    const testOrder = input(hashedEvent({ event_id: 'test', user: user('a@x.com') }), { test: true });
    expect(diagnose([testOrder], scope, { now }).platforms.meta?.sendable).toBe(0);
    const testScope: DiagnosticsScope = { destinations: [{ platform: 'meta', settings: { ...meta, test_event_code: 'TEST1' } as typeof meta }] };
    expect(diagnose([testOrder], testScope, { now }).platforms.meta?.sendable).toBe(1);
  });

  it('sends browser-only events server-side unless send_browser_events is off, and reports their findings only then', () => {
    // docs/BROWSER.md: send_browser_events is on by default for non-purchase events.
    const browser = input(hashedEvent({ event_id: 'b', event_name: 'page_view', commerce: undefined, user: user(), findings: [{ code: 'NO_DETERMINISTIC_KEY' }] }), { source: 'browser' });
    const offScope: DiagnosticsScope = { destinations: [{ platform: 'meta', settings: { ...meta, send_browser_events: false } as typeof meta }] };
    const off = diagnose([browser], offScope, { now });
    expect(off.platforms.meta?.sendable).toBe(0);
    expect(off.warnings).toEqual([]);
    const on = diagnose([browser], scope, { now });
    expect(on.platforms.meta?.sendable).toBe(1);
    expect(on.warnings.map((w) => [w.code, w.examples])).toEqual([['NO_DETERMINISTIC_KEY', ['b']]]);
    expect(hasErrors(on)).toBe(true);
  });

  it('does not report a finding to a platform the cause cannot matter to', () => {
    const klaviyoOnly: DiagnosticsScope = { destinations: [{ platform: 'klaviyo', settings: PLATFORMS.klaviyo.placeholderSettings }] };
    const serverIp = input(hashedEvent({ event_id: 's', user: {}, findings: [{ code: 'SERVER_IP', field: 'user.client_ip_address' }] }));
    expect(diagnose([serverIp], klaviyoOnly, { now }).warnings).toEqual([]);
    expect(diagnose([serverIp], scope, { now }).warnings.map((w) => w.code)).toEqual(['SERVER_IP']);
  });

  it('has empty coverage and no score when nothing is sendable', () => {
    const report = diagnose([], scope, { now });
    expect(report.events).toBe(0);
    expect(report.platforms.meta?.readiness).toBeNull();
    expect(report.platforms.meta?.coverage.em).toBeNull();
  });
});
