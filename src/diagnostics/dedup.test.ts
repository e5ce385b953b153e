import { describe, expect, it } from 'vitest';
import { hashedEvent, input, T0 } from '../../test/diagnostics/hashed-events.js';
import { PLATFORMS } from '../platforms/registry.js';
import { addIpVersionFindings, pairLegs } from './dedup.js';
import { FindingLedger } from './ledger.js';
import type { DiagnosticInput, DiagnosticsScope } from './types.js';

const scope: DiagnosticsScope = { destinations: [{ platform: 'meta', settings: PLATFORMS.meta.placeholderSettings }] };
const HOUR = 3600;

function leg(source: 'api' | 'shopify' | 'browser', id: string, name: string, at = T0, ip = '203.0.113.7'): DiagnosticInput {
  return input(hashedEvent({ event_id: id, event_name: name, event_time: at, user: { client_ip_address: ip, client_user_agent: 'UA' } }), { source });
}

const inputs = [
  leg('shopify', 'A', 'purchase', T0, '203.0.113.7'),
  leg('browser', 'A', 'purchase', T0 + 60, '2001:db8::1'),
  leg('api', 'B', 'purchase'),
  leg('browser', 'B', 'add_to_cart'),
  leg('api', 'C', 'purchase'),
  leg('api', 'D', 'lead'),
  leg('browser', 'E', 'purchase'),
  leg('api', 'F', 'purchase', T0),
  leg('browser', 'F', 'purchase', T0 + 49 * HOUR),
];

describe('pairLegs', () => {
  it('pairs by mapped name and event_id within 48 h, and counts orphans and name mismatches', () => {
    const report = pairLegs(inputs, scope);
    expect(report.platforms.meta).toEqual({
      server_events: 5,
      browser_events: 4,
      paired: 1,
      paired_share: 0.2,
      server_orphans: 3,
      browser_orphans: 2,
      name_mismatches: 1,
      examples: { server_orphans: ['C', 'D', 'F'], browser_orphans: ['E', 'F'], name_mismatches: ['B'] },
    });
  });

  it('adds DEDUP_NO_BROWSER_TWIN only for names the browser leg sends, and DEDUP_NAME_MISMATCH', () => {
    const ledger = new FindingLedger();
    pairLegs(inputs, scope, ledger);
    const codes = inputs.map((_, i) => ledger.codesOf(i));
    expect(codes).toEqual([[], [], ['DEDUP_NAME_MISMATCH'], [], ['DEDUP_NO_BROWSER_TWIN'], [], [], ['DEDUP_NO_BROWSER_TWIN'], []]);
  });

  it('leaves out platforms that do not deduplicate against a browser leg', () => {
    const klaviyoScope: DiagnosticsScope = { destinations: [{ platform: 'klaviyo', settings: PLATFORMS.klaviyo.placeholderSettings }] };
    expect(pairLegs(inputs, klaviyoScope).platforms).toEqual({});
  });
});

describe('IP_VERSION_MISMATCH', () => {
  it('marks the server event whose browser twin came over IPv6 while it carries IPv4', () => {
    const ledger = new FindingLedger();
    addIpVersionFindings(inputs, ledger);
    expect(inputs.map((_, i) => ledger.codesOf(i).length)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ledger.codesOf(0)).toEqual(['IP_VERSION_MISMATCH']);
  });
});
