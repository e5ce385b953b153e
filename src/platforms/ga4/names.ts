import type { StandardEventName } from '../../event/names.js';

// Canonical name → GA4 recommended event (https://developers.google.com/analytics/devguides/collection/ga4/reference/events,
// checked 2026-12-04). `null`: GA4 has no such recommended event and a custom one would only add noise to reports.
export const GA4_EVENT_NAMES: Record<StandardEventName, string | null> = {
  purchase: 'purchase',
  add_to_cart: 'add_to_cart',
  initiate_checkout: 'begin_checkout',
  add_payment_info: 'add_payment_info',
  view_content: 'view_item',
  page_view: 'page_view',
  search: 'search',
  lead: 'generate_lead',
  complete_registration: 'sign_up',
  subscribe: null,
  start_trial: null,
  add_to_wishlist: 'add_to_wishlist',
};

/** A Shopify refund (refunds/create) as a canonical event: GA4's `refund`, which takes revenue back off the purchase. */
export const REFUND_EVENT = 'refund';

// Event names GA4 keeps for itself (Measurement Protocol reference "Reserved names", checked 2026-12-04): an event
// under one of them is dropped without an error.
export const RESERVED_EVENT_NAMES: ReadonlySet<string> = new Set([
  'ad_activeview', 'ad_click', 'ad_exposure', 'ad_impression', 'ad_query', 'ad_reward', 'adunit_exposure',
  'app_background', 'app_clear_data', 'app_exception', 'app_remove', 'app_store_refund', 'app_store_subscription_cancel',
  'app_store_subscription_convert', 'app_store_subscription_renew', 'app_update', 'app_upgrade', 'dynamic_link_app_open',
  'dynamic_link_app_update', 'dynamic_link_first_open', 'error', 'first_open', 'first_visit', 'in_app_purchase',
  'notification_dismiss', 'notification_foreground', 'notification_open', 'notification_receive', 'os_update',
  'session_start', 'session_start_with_rollout', 'user_engagement',
]);

/** Prefixes GA4 reserves for event, parameter and user property names. */
export const RESERVED_PREFIXES = ['_', 'firebase_', 'ga_', 'google_', 'gtag.'] as const;

export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

export function isValidGa4Name(name: string, maxLength = 40): boolean {
  return name.length <= maxLength && NAME_PATTERN.test(name) && !RESERVED_PREFIXES.some((p) => name.startsWith(p));
}

/** The GA4 event name, `null` when the event is not sent to GA4. Custom names go as they are when GA4 takes them. */
export function ga4EventName(canonical: string): string | null {
  if (Object.hasOwn(GA4_EVENT_NAMES, canonical)) return GA4_EVENT_NAMES[canonical as StandardEventName];
  if (canonical === REFUND_EVENT) return REFUND_EVENT;
  return isValidGa4Name(canonical) && !RESERVED_EVENT_NAMES.has(canonical) ? canonical : null;
}
