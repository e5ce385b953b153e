import { isIPv4, isIPv6 } from 'node:net';
import type { PlatformName } from '../event/names.js';
import { PLATFORMS } from '../platforms/registry.js';
import { MAX_EXAMPLES, type FindingLedger } from './ledger.js';
import { platformWouldReceive } from './scope.js';
import type { DedupFigures, DedupReport, DiagnosticInput, DiagnosticsScope } from './types.js';

/**
 * Meta pairs a browser and a server event with the same event_name + event_id within 48 h
 * (https://developers.facebook.com/docs/marketing-api/conversions-api/deduplicate-pixel-and-server-events).
 */
export const DEDUP_WINDOW_SEC = 48 * 3600;

// The platforms that deduplicate a server event against their browser pixel by event name and event_id (dedup keys,
// the platform READMEs under src/platforms/: Meta event_name+event_id, TikTok event+event_id, Pinterest event_id).
// Google deduplicates on order_id and Klaviyo on unique_id, neither against a browser leg, so pairing means nothing
// there. Snapchat (event_id), Microsoft UET (eventId) and Reddit (conversion_id) pair with their pixels by the shared
// id.
export const DEDUP_PLATFORMS: readonly PlatformName[] = ['meta', 'tiktok', 'pinterest', 'snapchat', 'microsoft', 'reddit'];

interface Leg {
  index: number;
  name: string;
  time: number;
}

const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10000) / 10000);

/**
 * Pairs server-leg events (api, shopify) with browser-leg events per platform by (mapped event name, event_id)
 * within 48 h. A server event whose id the browser sent under another mapped name is a name mismatch (the
 * platform counts it twice), not also an orphan. With a ledger, adds DEDUP_NO_BROWSER_TWIN (only for event
 * names the browser leg sends at all — a server-only event has no twin to miss) and DEDUP_NAME_MISMATCH.
 */
export function pairLegs(inputs: readonly DiagnosticInput[], scope: DiagnosticsScope, ledger?: FindingLedger): DedupReport {
  const report: DedupReport = { platforms: {} };
  for (const { platform: name, settings } of scope.destinations) {
    if (!DEDUP_PLATFORMS.includes(name)) continue;
    const platform = PLATFORMS[name];
    const server: Leg[] = [];
    const browserById = new Map<string, Leg[]>();
    const browserNames = new Set<string>();
    let browserCount = 0;
    inputs.forEach((input, index) => {
      const mapped = platform.eventName(input.event.event_name, settings);
      if (mapped === null) return;
      const leg = { index, name: mapped, time: input.event.event_time };
      if (input.source === 'browser') {
        browserCount++;
        browserNames.add(mapped);
        let list = browserById.get(input.event.event_id);
        if (!list) browserById.set(input.event.event_id, (list = []));
        list.push(leg);
      } else if (platformWouldReceive(input, platform, settings)) {
        server.push(leg);
      }
    });

    const browserMatched = new Set<number>();
    const figures: DedupFigures = {
      server_events: server.length,
      browser_events: browserCount,
      paired: 0,
      paired_share: null,
      server_orphans: 0,
      browser_orphans: 0,
      name_mismatches: 0,
      examples: { server_orphans: [], browser_orphans: [], name_mismatches: [] },
    };
    const idOf = (index: number) => inputs[index]!.event.event_id;
    const example = (list: string[], index: number) => {
      if (list.length < MAX_EXAMPLES) list.push(idOf(index));
    };
    for (const s of server) {
      const near = (browserById.get(idOf(s.index)) ?? []).filter((b) => Math.abs(b.time - s.time) <= DEDUP_WINDOW_SEC);
      const twins = near.filter((b) => b.name === s.name);
      for (const b of near) browserMatched.add(b.index);
      if (twins.length > 0) {
        figures.paired++;
      } else if (near.length > 0) {
        figures.name_mismatches++;
        example(figures.examples.name_mismatches, s.index);
        ledger?.add(s.index, 'DEDUP_NAME_MISMATCH', [name]);
      } else {
        figures.server_orphans++;
        example(figures.examples.server_orphans, s.index);
        if (browserNames.has(s.name)) ledger?.add(s.index, 'DEDUP_NO_BROWSER_TWIN', [name]);
      }
    }
    for (const legs of browserById.values()) {
      for (const b of legs) {
        if (browserMatched.has(b.index)) continue;
        figures.browser_orphans++;
        example(figures.examples.browser_orphans, b.index);
      }
    }
    figures.paired_share = share(figures.paired, figures.server_events);
    report.platforms[name] = figures;
  }
  return report;
}

/**
 * IP_VERSION_MISMATCH: the browser leg reached us over IPv6 while the server leg carries an IPv4 address for the
 * same event_id — Meta's "Mismatched IP Address" (docs/DIAGNOSTICS.md). Marked on the server event.
 */
export function addIpVersionFindings(inputs: readonly DiagnosticInput[], ledger: FindingLedger): void {
  const browserV6 = new Set<string>();
  for (const input of inputs) {
    const ip = input.event.user.client_ip_address;
    if (input.source === 'browser' && ip && isIPv6(ip)) browserV6.add(input.event.event_id);
  }
  if (browserV6.size === 0) return;
  inputs.forEach((input, index) => {
    const ip = input.event.user.client_ip_address;
    if (input.source !== 'browser' && ip && isIPv4(ip) && browserV6.has(input.event.event_id)) ledger.add(index, 'IP_VERSION_MISMATCH');
  });
}
