import type { PlatformName } from '../event/names.js';
import type { DiagnosticInput } from './types.js';
import type { FindingLedger } from './ledger.js';

/** Clock skew tolerated before an event counts as coming from the future (platforms publish no exact figure). */
export const FUTURE_TOLERANCE_SEC = 300;

/**
 * EVENT_TOO_OLD per platform (its `maxEventAgeSec`; Meta 7 days,
 * https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event) and EVENT_IN_FUTURE,
 * both measured against when the gateway saw the event — an event that was fresh on arrival is not "too old" in a
 * report read a month later.
 */
export function addTimeFindings(
  inputs: readonly DiagnosticInput[],
  maxAgeByPlatform: ReadonlyMap<PlatformName, number>,
  ledger: FindingLedger,
): void {
  inputs.forEach((input, index) => {
    const ageSec = input.seen_at - input.event.event_time;
    if (-ageSec > FUTURE_TOLERANCE_SEC) {
      ledger.add(index, 'EVENT_IN_FUTURE');
      return;
    }
    const tooOldFor = [...maxAgeByPlatform].filter(([, maxAge]) => ageSec > maxAge).map(([platform]) => platform);
    if (tooOldFor.length > 0) ledger.add(index, 'EVENT_TOO_OLD', tooOldFor);
  });
}
