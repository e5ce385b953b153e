import type { HashedEvent } from '../../identity/types.js';
import { klaviyoMetricName } from './names.js';

/** Why an event is not sent to Klaviyo (null = it is sent). */
export function klaviyoSkipReason(event: HashedEvent): string | null {
  if (klaviyoMetricName(event.event_name) === null) return 'no_klaviyo_metric';
  // A Klaviyo event must name its profile by email, phone_number or external_id (raw values, PlainContact).
  const contact = event.contact;
  if (!contact?.email && !contact?.phone_number && !contact?.external_id) return 'no_profile_identifier';
  return null;
}
