import { describe, expect, it } from 'vitest';
import { hashedEvent, input, T0 } from '../../test/diagnostics/hashed-events.js';
import type { PlatformName } from '../event/names.js';
import { FindingLedger } from './ledger.js';
import { addTimeFindings, FUTURE_TOLERANCE_SEC } from './time-findings.js';

const DAY = 86400;
const maxAge = new Map<PlatformName, number>([
  ['meta', 7 * DAY],
  ['google', 90 * DAY],
]);

describe('time findings', () => {
  it('flags an event older than a platform accepts, for that platform only, measured when it was seen', () => {
    const inputs = [
      input(hashedEvent({ event_id: 'fresh', event_time: T0 }), { seen_at: T0 + 7 * DAY }),
      input(hashedEvent({ event_id: 'old', event_time: T0 }), { seen_at: T0 + 7 * DAY + 1 }),
      input(hashedEvent({ event_id: 'ancient', event_time: T0 }), { seen_at: T0 + 91 * DAY }),
    ];
    const ledger = new FindingLedger();
    addTimeFindings(inputs, maxAge, ledger);
    const found = ledger.aggregate(() => ['meta', 'google', 'tiktok'], (i) => inputs[i]!.event.event_id);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'EVENT_TOO_OLD', count: 2, examples: ['old', 'ancient'], platforms: ['meta', 'google'] });
  });

  it('flags an event more than the tolerance ahead of when it was seen', () => {
    const inputs = [
      input(hashedEvent({ event_id: 'skewed', event_time: T0 + FUTURE_TOLERANCE_SEC }), { seen_at: T0 }),
      input(hashedEvent({ event_id: 'future', event_time: T0 + FUTURE_TOLERANCE_SEC + 1 }), { seen_at: T0 }),
    ];
    const ledger = new FindingLedger();
    addTimeFindings(inputs, maxAge, ledger);
    expect(ledger.codesOf(0)).toEqual([]);
    expect(ledger.codesOf(1)).toEqual(['EVENT_IN_FUTURE']);
  });
});
