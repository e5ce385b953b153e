import type { HashedEvent } from '../../identity/types.js';
import { dataManagerIdentifiers } from './data-manager.js';
import { addressInfo } from './identifiers.js';
import { conversionActionResource } from './payload.js';
import type { GoogleSettings } from './settings.js';

// Why an event is not sent to a Google destination (null = it is sent).

export function googleSkipReason(event: HashedEvent, settings: GoogleSettings): string | null {
  if (conversionActionResource(settings, event.event_name) === null) return 'no_conversion_action';
  const user = event.user;
  const hasClickId = Boolean(user.gclid || user.gbraid || user.wbraid);
  if (settings.api !== 'google_ads') {
    // A Data Manager event is attributed through an ad identifier or user data (email, phone, address).
    return hasClickId || dataManagerIdentifiers(user).length > 0 ? null : 'no_match_key';
  }
  const hasEmailOrPhone = (user.em_google?.length ?? 0) > 0 || (user.ph_e164?.length ?? 0) > 0;
  if (settings.mode === 'adjustments') {
    // ENHANCEMENT adjustments are matched to the tag's conversion by order id, which is required.
    if (!event.commerce?.order_id) return 'no_order_id';
    if (!hasEmailOrPhone && !addressInfo(user)) return 'no_match_key';
    return null;
  }
  // A click conversion is attributed through a click id or, for enhanced conversions for leads, hashed email/phone.
  if (!hasClickId && !hasEmailOrPhone) return 'no_match_key';
  return null;
}
