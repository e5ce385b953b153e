import { describe, expect, it } from 'vitest';
import { hashedEvent, input, sha, T0 } from '../../test/diagnostics/hashed-events.js';
import { FindingLedger } from './ledger.js';
import { addSharedIpFindings } from './shared-ip.js';
import type { DiagnosticInput } from './types.js';

const HOUR = 3600;

function onIp(ip: string, who: string | undefined, at: number, id: string): DiagnosticInput {
  return input(hashedEvent({ event_id: id, event_time: at, user: { client_ip_address: ip, ...(who ? { em: [sha(who)] } : {}) } }));
}

function flagged(inputs: DiagnosticInput[]): string[] {
  const ledger = new FindingLedger();
  addSharedIpFindings(inputs, ledger);
  return inputs.filter((_, i) => ledger.codesOf(i).includes('SHARED_IP')).map((x) => x.event.event_id);
}

describe('SHARED_IP', () => {
  it('marks every event of an IP used by 5 shoppers within 24 hours', () => {
    const inputs = ['a', 'b', 'c', 'd', 'e'].map((who, i) => onIp('198.51.100.9', who, T0 + i * HOUR, `s${i}`));
    inputs.push(onIp('198.51.100.10', 'a', T0, 'other-ip'));
    expect(flagged(inputs)).toEqual(['s0', 's1', 's2', 's3', 's4']);
  });

  it('does not mark 4 shoppers, nor one shopper seen 5 times', () => {
    const four = ['a', 'b', 'c', 'd'].map((who, i) => onIp('198.51.100.9', who, T0 + i, `f${i}`));
    const same = [0, 1, 2, 3, 4].map((i) => onIp('198.51.100.7', 'a', T0 + i, `same${i}`));
    expect(flagged([...four, ...same])).toEqual([]);
  });

  it('does not mark 5 shoppers spread over more than 24 hours, nor events outside the crowded window', () => {
    const spread = ['a', 'b', 'c', 'd', 'e'].map((who, i) => onIp('198.51.100.9', who, T0 + i * 7 * HOUR, `w${i}`));
    expect(flagged(spread)).toEqual([]);
    const crowded = ['a', 'b', 'c', 'd', 'e'].map((who, i) => onIp('198.51.100.9', who, T0 + i, `c${i}`));
    const later = onIp('198.51.100.9', 'f', T0 + 3 * 24 * HOUR, 'later');
    expect(flagged([later, ...crowded])).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
  });

  it('uses the phone, then the external id, when there is no email', () => {
    const users = [{ ph: [sha('1')] }, { ph: [sha('2')] }, { external_id: [sha('x')] }, { external_id: [sha('y')] }, { em: [sha('z')] }];
    const inputs = users.map((u, i) => input(hashedEvent({ event_id: `u${i}`, user: { ...u, client_ip_address: '203.0.113.1' } })));
    expect(flagged(inputs)).toHaveLength(5);
  });
});
