import { describe, expect, it } from 'vitest';
import { hashedEvent } from '../outbox/contract.js';
import type { CommonSettings } from '../platforms/types.js';
import { planDeliveries } from './plan.js';
import { testPlatform } from './testing/test-platform.js';

const platformFor = () => testPlatform();
const destinations: CommonSettings[] = [
  { id: 'meta', platform: 'meta' },
  { id: 'meta-test', platform: 'meta', test: true },
  { id: 'klaviyo', platform: 'klaviyo' },
];

describe('planDeliveries', () => {
  it('makes one pending row per destination, Klaviyo carrying the contact', () => {
    expect(planDeliveries(hashedEvent(), destinations, { test: false, source: 'api', platformFor })).toEqual([
      { destination_id: 'meta', platform: 'meta', status: 'pending' },
      { destination_id: 'meta-test', platform: 'meta', status: 'pending' },
      { destination_id: 'klaviyo', platform: 'klaviyo', status: 'pending', needs_contact: true },
    ]);
  });
  it('skips every destination when marketing consent is denied', () => {
    const event = hashedEvent({ consent: { marketing: false, limited_data_use: false } });
    const plan = planDeliveries(event, destinations, { test: true, source: 'api', platformFor });
    expect(plan.map((d) => [d.status, d.skip_reason])).toEqual([
      ['skipped', 'consent_denied'],
      ['skipped', 'consent_denied'],
      ['skipped', 'consent_denied'],
    ]);
  });
  it('sends a test order only to destinations in test mode', () => {
    const plan = planDeliveries(hashedEvent(), destinations, { test: true, source: 'shopify', platformFor });
    expect(plan.map((d) => d.skip_reason ?? d.status)).toEqual(['test_order', 'pending', 'test_order']);
  });
  it("applies the platform's own rule, and the browser-leg opt-in", () => {
    expect(planDeliveries(hashedEvent({ event_name: 'page_view' }), destinations.slice(0, 1), { test: false, source: 'api', platformFor })).toEqual([
      { destination_id: 'meta', platform: 'meta', status: 'skipped', skip_reason: 'not_mapped' },
    ]);
    const browser = [{ id: 'a', platform: 'meta' as const }, { id: 'b', platform: 'meta' as const, send_browser_events: true }];
    expect(planDeliveries(hashedEvent(), browser, { test: false, source: 'browser', platformFor }).map((d) => d.skip_reason ?? d.status)).toEqual([
      'browser_events_off',
      'pending',
    ]);
  });
  it('sends browser non-purchase events server-side by default, and never a browser purchase when the order webhook is the server copy', () => {
    const dests: (CommonSettings & { send_browser_events?: boolean })[] = [
      { id: 'default', platform: 'meta' },
      { id: 'on', platform: 'meta', send_browser_events: true },
      { id: 'off', platform: 'meta', send_browser_events: false },
    ];
    const plan = (event_name: string, orderWebhookSendsPurchases: boolean) =>
      planDeliveries(hashedEvent({ event_name }), dests, { test: false, source: 'browser', orderWebhookSendsPurchases, platformFor }).map((d) => d.skip_reason ?? d.status);
    expect(plan('add_to_cart', true)).toEqual(['pending', 'pending', 'browser_events_off']);
    expect(plan('purchase', true)).toEqual(['order_webhook_sends_purchase', 'order_webhook_sends_purchase', 'order_webhook_sends_purchase']);
    expect(plan('purchase', false)).toEqual(['browser_events_off', 'pending', 'browser_events_off']);
    // The server legs are not affected by the browser rule.
    expect(planDeliveries(hashedEvent(), dests, { test: false, source: 'shopify', orderWebhookSendsPurchases: true, platformFor }).map((d) => d.status)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
  });
});
