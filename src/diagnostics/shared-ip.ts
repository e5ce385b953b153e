import type { HashedUser } from '../identity/types.js';
import type { FindingLedger } from './ledger.js';
import type { DiagnosticInput } from './types.js';

/** Distinct shoppers on one IP within the window before the IP counts as shared (SHARED_IP, docs/DIAGNOSTICS.md). */
export const SHARED_IP_MIN_IDENTITIES = 5;
export const SHARED_IP_WINDOW_SEC = 24 * 3600;

/** A shopper's identity for this purpose: the first email hash, else phone, else external_id. */
function identityOf(user: HashedUser): string | undefined {
  return user.em?.[0] ?? user.ph?.[0] ?? user.external_id?.[0];
}

/**
 * SHARED_IP: an IP used by ≥ 5 distinct identities within any 24 h window (a proxy, VPN or carrier NAT, which
 * operators asked to see flagged). Every event on that IP inside such a window is marked. Linear per IP: a sliding
 * window over the IP's events in time order.
 */
export function addSharedIpFindings(inputs: readonly DiagnosticInput[], ledger: FindingLedger): void {
  const byIp = new Map<string, number[]>();
  inputs.forEach((input, index) => {
    const ip = input.event.user.client_ip_address;
    if (!ip) return;
    let list = byIp.get(ip);
    if (!list) byIp.set(ip, (list = []));
    list.push(index);
  });
  for (const indexes of byIp.values()) {
    if (indexes.length < SHARED_IP_MIN_IDENTITIES) continue;
    const ordered = [...indexes].sort((a, b) => inputs[a]!.event.event_time - inputs[b]!.event.event_time);
    const timeAt = (i: number) => inputs[ordered[i]!]!.event.event_time;
    const idAt = (i: number) => identityOf(inputs[ordered[i]!]!.event.user);
    const inWindow = new Map<string, number>();
    let left = 0;
    let markedUpTo = -1;
    for (let right = 0; right < ordered.length; right++) {
      const id = idAt(right);
      if (id) inWindow.set(id, (inWindow.get(id) ?? 0) + 1);
      while (timeAt(right) - timeAt(left) > SHARED_IP_WINDOW_SEC) {
        const leaving = idAt(left);
        if (leaving) {
          const n = inWindow.get(leaving)! - 1;
          if (n === 0) inWindow.delete(leaving);
          else inWindow.set(leaving, n);
        }
        left++;
      }
      if (inWindow.size >= SHARED_IP_MIN_IDENTITIES) {
        for (let i = Math.max(left, markedUpTo + 1); i <= right; i++) ledger.add(ordered[i]!, 'SHARED_IP');
        markedUpTo = right;
      }
    }
  }
}
