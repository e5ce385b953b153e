import { describe, expect, it } from 'vitest';
import { auditText } from '../../diagnostics/audit.js';
import { GA4_PLACEHOLDER_SETTINGS } from './settings.js';

// `matchkey audit` with a GA4 destination: coverage in GA4's keys, and the findings for what GA4 takes with a 2xx
// and then drops or cannot attribute.
const NOW = 1764326400 + 600;
const event = (id: string, user: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event_id: id, event_name: 'purchase', event_time: 1764326400, action_source: 'website', user: { email: 'a@example.com', client_ip_address: '203.0.113.7', client_user_agent: 'UA', ...user }, commerce: { value: 10, currency: 'USD', order_id: id }, ...extra });

describe('GA4 in diagnostics', () => {
  it('reports coverage of client_id and session_id, and the events that would land as Unassigned', () => {
    const text = [
      event('o1', { ga_client_id: 'GA1.1.111.222', ga_session_id: 'GS2.1.s333$o1' }),
      event('o2', { ga_client_id: 'GA1.1.111.222' }),
      event('o3', {}),
      event('o4', { ga_client_id: 'not-a-cookie' }, { event_name: 'my-event' }),
    ].join('\n');
    const report = auditText(text, 'ga4.jsonl', { destinations: [GA4_PLACEHOLDER_SETTINGS], identity: {}, nowSec: NOW });
    const ga4 = report.platforms.ga4!;
    expect(ga4.sendable).toBe(3);
    expect(ga4.coverage).toMatchObject({ client_id: 0.6667, session_id: 0.3333, sha256_email_address: 1 });
    const byCode = Object.fromEntries(report.warnings.map((w) => [w.code, w.examples]));
    expect(byCode.GA4_NO_CLIENT_ID).toEqual(['o3', 'o4']);
    expect(byCode.GA4_NO_SESSION_ID).toEqual(['o2']);
    expect(byCode.GA_COOKIE_MALFORMED).toEqual(['o4']);
    expect(byCode.GA4_LIMIT).toEqual(['o4']);
  });
});
