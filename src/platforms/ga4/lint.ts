import type { Finding } from '../../identity/findings.js';
import type { HashedEvent } from '../../identity/types.js';
import { isStandardEventName } from '../../event/names.js';
import { REFUND_EVENT, RESERVED_EVENT_NAMES, isValidGa4Name } from './names.js';
import { GA4_LIMITS, toGa4Event } from './payload.js';

// What GA4 would take without a word and then drop or misattribute (it answers 2xx to every payload, Measurement
// Protocol reference "Transport"): said before sending, as findings for diagnostics, `matchkey audit` and preview.

const GA4 = ['ga4'] as const;

function finding(code: Finding['code'], field: string, detail: string): Finding {
  return { code, field, detail, platforms: [...GA4] };
}

export function ga4Findings(event: HashedEvent): Finding[] {
  const out: Finding[] = [];
  if (event.action_source === 'website' && event.event_name !== REFUND_EVENT) {
    if (!event.user.ga_client_id) out.push(finding('GA4_NO_CLIENT_ID', 'user.ga_client_id', 'no _ga cookie: sent under a stand-in client id, so GA4 reports the traffic as Unassigned'));
    else if (!event.user.ga_session_id) out.push(finding('GA4_NO_SESSION_ID', 'user.ga_session_id', 'no _ga_<stream> cookie: the event is not attached to the visit'));
  }
  const name = event.event_name;
  if (!isStandardEventName(name) && name !== REFUND_EVENT) {
    if (!isValidGa4Name(name)) out.push(finding('GA4_LIMIT', 'event_name', 'not a GA4 event name (letters, digits and _, starting with a letter, at most 40, no reserved prefix): not sent'));
    else if (RESERVED_EVENT_NAMES.has(name)) out.push(finding('GA4_LIMIT', 'event_name', 'a name GA4 reserves for itself: not sent'));
  }
  const c = event.commerce;
  if (c?.items && c.items.length > GA4_LIMITS.itemsPerEvent) out.push(finding('GA4_LIMIT', 'commerce.items', `more than ${GA4_LIMITS.itemsPerEvent} items: the rest are left out`));
  if (c?.order_id && c.order_id.length > GA4_LIMITS.paramValueLength) out.push(finding('GA4_LIMIT', 'commerce.order_id', `longer than ${GA4_LIMITS.paramValueLength} characters: cut, so refunds cannot find the purchase`));
  if (c?.search_string && c.search_string.length > GA4_LIMITS.paramValueLength) out.push(finding('GA4_LIMIT', 'commerce.search_string', `longer than ${GA4_LIMITS.paramValueLength} characters: cut`));
  if (c?.items?.some((i) => i.id.length > GA4_LIMITS.paramValueLength || (i.name?.length ?? 0) > GA4_LIMITS.paramValueLength)) {
    out.push(finding('GA4_LIMIT', 'commerce.items', `an item id or name is longer than ${GA4_LIMITS.paramValueLength} characters: cut`));
  }
  if (event.event_source_url && event.event_source_url.length > GA4_LIMITS.pageLocationLength) {
    out.push(finding('GA4_LIMIT', 'event_source_url', `longer than ${GA4_LIMITS.pageLocationLength} characters (page_location): cut`));
  }
  const extra = event.custom_data;
  if (extra) {
    const keys = Object.keys(extra);
    const badName = keys.find((k) => !isValidGa4Name(k, GA4_LIMITS.paramNameLength));
    if (badName !== undefined) out.push(finding('GA4_LIMIT', 'custom_data', 'a parameter name is not a GA4 name (letters, digits and _, at most 40, no reserved prefix): left out'));
    const sent = toGa4Event(event).params;
    const crowdedOut = keys.some((k) => isValidGa4Name(k, GA4_LIMITS.paramNameLength) && !(k in sent) && ['string', 'number', 'boolean'].includes(typeof extra[k]));
    if (crowdedOut) out.push(finding('GA4_LIMIT', 'custom_data', `GA4 keeps ${GA4_LIMITS.paramsPerEvent} parameters per event, some of them Matchkey's own: the last ones are left out`));
    if (Object.values(extra).some((v) => typeof v === 'string' && v.length > GA4_LIMITS.paramValueLength)) {
      out.push(finding('GA4_LIMIT', 'custom_data', `a text value is longer than ${GA4_LIMITS.paramValueLength} characters: cut`));
    }
    if (Object.values(extra).some((v) => v !== null && typeof v === 'object')) out.push(finding('GA4_LIMIT', 'custom_data', 'an object or array value: GA4 parameters are text, numbers or booleans, left out'));
  }
  return out;
}
