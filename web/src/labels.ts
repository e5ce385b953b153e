// Words for what the dashboard shows by wire name: each platform's match keys (src/diagnostics/wire-keys.ts) and the
// reasons a delivery is skipped (decided at ingest, src/delivery/plan.ts and each platform's skip rule).

const KEY_WORDS: Record<string, string> = {
  em: 'Email', email: 'Email', emailAddress: 'Email', sha256_email_address: 'Email',
  ph: 'Phone', phone: 'Phone', phoneNumber: 'Phone', phone_number: 'Phone', sha256_phone_number: 'Phone',
  external_id: 'Customer ID', externalId: 'Customer ID', user_id: 'Customer ID',
  fbc: 'Click ID', ttclid: 'Click ID', click_id: 'Click ID', gclid: 'Click ID', sc_click_id: 'Click ID', msclkid: 'Click ID',
  fbp: 'Browser ID', ttp: 'Browser ID', sc_cookie1: 'Browser ID', uuid: 'Browser ID', client_id: 'Browser ID',
  session_id: 'Session ID',
  client_ip_address: 'IP address', ip: 'IP address', clientIpAddress: 'IP address', ip_address: 'IP address',
  client_user_agent: 'User agent', user_agent: 'User agent', clientUserAgent: 'User agent',
  fn: 'First name', ln: 'Last name', ct: 'City', st: 'State', zp: 'Postal code', country: 'Country',
  db: 'Birth date', ge: 'Gender', address: 'Address',
};

/** "Email" for `em`; the wire name itself when there is no word for it. */
export function keyLabel(wire: string): string {
  return KEY_WORDS[wire] ?? wire;
}

const SKIP_WORDS: Record<string, string> = {
  consent_denied: 'the shopper did not consent to marketing (or the consent policy denied it)',
  test_order: 'a test order, sent only to destinations in test mode',
  browser_events_off: 'a browser event this destination does not take server-side (send_browser_events)',
  order_webhook_sends_purchase: 'a browser purchase: the order webhook sends this purchase',
  refunds_not_sent: 'a refund, which this platform does not take',
  no_match_key: 'no key the platform can match on (email, phone, click id …)',
  no_conversion_action: 'no conversion action configured for this event',
  no_klaviyo_metric: 'no Klaviyo metric for this event',
  no_order_id: 'no order id, which this platform requires',
  no_profile_identifier: 'no email, phone or customer id for the profile',
  incomplete_website_event: 'a website event without user agent or page URL',
  not_a_web_event: 'not a website event, which this platform takes only',
  app_event_unsupported: 'an app event, which this platform does not take',
  app_event_needs_app_stream: 'an app event, which needs an app stream',
  limited_data_use_unsupported: 'limited data use was requested and this platform has no such mode',
  too_old: 'older than the platform accepts',
};

/** Why a delivery was skipped, in words (the wire reason when it is not known here). */
export function skipReasonText(reason: string): string {
  return SKIP_WORDS[reason] ?? reason;
}

export const SKIPPED_EXPLAINED =
  'Skipped: decided when the event came in not to send it to that destination — the shopper did not consent, a test order, a browser event whose server copy comes from the order webhook, or no key the platform can match. Nothing is retried; open an event in the Inspector to see its reason.';
