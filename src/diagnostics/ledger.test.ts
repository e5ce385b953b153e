import { describe, expect, it } from 'vitest';
import { FINDING_CATALOG } from './finding-catalog.js';
import { FindingLedger } from './ledger.js';
import type { PlatformName } from '../event/names.js';

const ALL: PlatformName[] = ['meta', 'tiktok', 'pinterest', 'google', 'klaviyo'];
const id = (i: number) => `ev${i}`;

describe('FindingLedger', () => {
  it('counts an event once per code, whatever the number of causes inside it', () => {
    const ledger = new FindingLedger();
    ledger.add(0, 'EMAIL_INVALID');
    ledger.add(0, 'EMAIL_INVALID');
    ledger.add(1, 'EMAIL_INVALID');
    const [finding] = ledger.aggregate(() => ALL, id);
    expect(finding).toEqual({
      code: 'EMAIL_INVALID',
      severity: 'warn',
      count: 2,
      platforms: ALL,
      examples: ['ev0', 'ev1'],
      message: FINDING_CATALOG.EMAIL_INVALID.message,
      fix: FINDING_CATALOG.EMAIL_INVALID.fix,
    });
  });

  it('does not count MISSING_CLIENT_IP again when the IP was a server’s or unreadable', () => {
    const ledger = new FindingLedger();
    ledger.add(0, 'SERVER_IP');
    ledger.add(0, 'MISSING_CLIENT_IP');
    ledger.add(1, 'IP_INVALID');
    ledger.add(1, 'MISSING_CLIENT_IP');
    ledger.add(2, 'MISSING_CLIENT_IP');
    const codes = Object.fromEntries(ledger.aggregate(() => ALL, id).map((f) => [f.code, f.examples]));
    expect(codes).toEqual({ SERVER_IP: ['ev0'], IP_INVALID: ['ev1'], MISSING_CLIENT_IP: ['ev2'] });
  });

  it('reports a finding only on the platforms that receive the event', () => {
    const ledger = new FindingLedger();
    ledger.add(0, 'EVENT_TOO_OLD', ['meta']);
    ledger.add(1, 'EVENT_TOO_OLD', ['meta', 'google']);
    ledger.add(2, 'NO_DETERMINISTIC_KEY');
    const receivers = (i: number): PlatformName[] => (i === 0 ? [] : i === 1 ? ['google', 'tiktok'] : ['tiktok']);
    const found = ledger.aggregate(receivers, id);
    expect(found.map((f) => [f.code, f.count, f.platforms])).toEqual([
      ['EVENT_TOO_OLD', 1, ['google']],
      ['NO_DETERMINISTIC_KEY', 1, ['tiktok']],
    ]);
  });

  it('keeps at most 5 examples and orders errors first, then by count', () => {
    const ledger = new FindingLedger();
    for (let i = 0; i < 8; i++) ledger.add(i, 'FBC_DERIVED');
    ledger.add(9, 'SERVER_IP');
    ledger.add(10, 'PHONE_INVALID');
    ledger.add(11, 'PHONE_INVALID');
    const found = ledger.aggregate(() => ALL, id);
    expect(found.map((f) => f.code)).toEqual(['SERVER_IP', 'PHONE_INVALID', 'FBC_DERIVED']);
    expect(found[2]).toMatchObject({ count: 8, examples: ['ev0', 'ev1', 'ev2', 'ev3', 'ev4'] });
  });
});
