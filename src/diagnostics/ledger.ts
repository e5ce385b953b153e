import { PLATFORM_NAMES, type PlatformName } from '../event/names.js';
import type { FindingCode } from '../identity/findings.js';
import { compareSeverity, FINDING_CATALOG } from './finding-catalog.js';
import type { AggregatedFinding } from './types.js';

export const MAX_EXAMPLES = 5;

// One event, one code per cause (docs/DIAGNOSTICS.md): when the cause on the left is present, the consequences on the
// right are not counted again. A server IP or an unreadable IP is dropped, so the event then "misses" its IP —
// the fix is the left-hand one.
const SUPERSEDED_BY: Partial<Record<FindingCode, FindingCode[]>> = {
  MISSING_CLIENT_IP: ['SERVER_IP', 'IP_INVALID'],
  // A derived fbc that lands after the event: the fix is the click time, one finding is enough.
  FBC_DERIVED: ['FBC_AFTER_EVENT'],
};

type Affected = Set<PlatformName> | 'all';

/** Findings per event (by input index), each code once per event, with the platforms it affects. */
export class FindingLedger {
  private readonly byEvent = new Map<number, Map<FindingCode, Affected>>();

  /** `platforms` absent = every platform the event goes to. */
  add(index: number, code: FindingCode, platforms?: readonly PlatformName[]): void {
    let codes = this.byEvent.get(index);
    if (!codes) this.byEvent.set(index, (codes = new Map()));
    const current = codes.get(code);
    if (current === 'all') return;
    if (!platforms) {
      codes.set(code, 'all');
      return;
    }
    const set = current ?? new Set<PlatformName>();
    for (const p of platforms) set.add(p);
    codes.set(code, set);
  }

  codesOf(index: number): FindingCode[] {
    return [...(this.byEvent.get(index)?.keys() ?? [])];
  }

  /**
   * Counts events per code. `receivers(index)` = the platforms the event goes to; a finding outside them is not
   * reported (nobody receives that event there). `eventId(index)` gives the examples.
   */
  aggregate(receivers: (index: number) => readonly PlatformName[], eventId: (index: number) => string): AggregatedFinding[] {
    const byCode = new Map<FindingCode, { count: number; platforms: Set<PlatformName>; examples: string[] }>();
    const indexes = [...this.byEvent.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      const codes = this.byEvent.get(index)!;
      const to = receivers(index);
      if (to.length === 0) continue;
      for (const [code, affected] of codes) {
        if (SUPERSEDED_BY[code]?.some((cause) => codes.has(cause))) continue;
        const concerns = FINDING_CATALOG[code].concerns;
        const platforms = to.filter((p) => (affected === 'all' || affected.has(p)) && (!concerns || concerns.includes(p)));
        if (platforms.length === 0) continue;
        let agg = byCode.get(code);
        if (!agg) byCode.set(code, (agg = { count: 0, platforms: new Set(), examples: [] }));
        agg.count += 1;
        for (const p of platforms) agg.platforms.add(p);
        if (agg.examples.length < MAX_EXAMPLES) agg.examples.push(eventId(index));
      }
    }
    return [...byCode]
      .map(([code, agg]): AggregatedFinding => {
        const entry = FINDING_CATALOG[code];
        return {
          code,
          severity: entry.severity,
          count: agg.count,
          platforms: PLATFORM_NAMES.filter((p) => agg.platforms.has(p)),
          examples: agg.examples,
          message: entry.message,
          fix: entry.fix,
        };
      })
      .sort((a, b) => compareSeverity(a.severity, b.severity) || b.count - a.count || a.code.localeCompare(b.code));
  }
}
