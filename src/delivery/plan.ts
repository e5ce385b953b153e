import type { HashedEvent } from '../identity/types.js';
import type { EventSource, NewDelivery } from '../outbox/types.js';
import { platformFor } from '../platforms/registry.js';
import type { CommonSettings, Platform } from '../platforms/types.js';

export type PlatformResolver = (name: CommonSettings['platform']) => Platform<CommonSettings>;

export interface PlanOptions {
  /** A Shopify test order: only destinations in test mode receive it. */
  test: boolean;
  source: EventSource;
  /** Tests inject platforms; the gateway uses the registry. */
  platformFor?: PlatformResolver;
}

/**
 * One delivery row per destination, decided at ingest so the decision is stored with the event: skipped rows
 * carry their reason for the dashboard, pending ones go to the worker. Order of rules: consent (DESIGN.md
 * "consent.marketing === false: not sent to any ad platform"), test orders, browser-leg opt-in, then the
 * platform's own rule.
 */
export function planDeliveries(event: HashedEvent, destinations: readonly CommonSettings[], opts: PlanOptions): NewDelivery[] {
  const resolve = opts.platformFor ?? platformFor;
  return destinations.map((settings) => {
    const base = { destination_id: settings.id, platform: settings.platform };
    const platform = resolve(settings.platform);
    if (!event.consent.marketing) return { ...base, status: 'skipped', skip_reason: 'consent_denied' };
    if (opts.test && !platform.isTestMode(settings)) return { ...base, status: 'skipped', skip_reason: 'test_order' };
    // Browser events already reach the platform through its pixel; the server leg sends them only when asked
    // to (`send_browser_events`), with the shared event_id so the platform deduplicates.
    if (opts.source === 'browser' && (settings as { send_browser_events?: boolean }).send_browser_events !== true) {
      return { ...base, status: 'skipped', skip_reason: 'browser_events_off' };
    }
    const reason = platform.skipReason(event, settings);
    if (reason !== null) return { ...base, status: 'skipped', skip_reason: reason };
    // Klaviyo takes the raw contact (PLATFORMS.md Klaviyo): the outbox seals it onto this row only.
    return settings.platform === 'klaviyo' ? { ...base, status: 'pending', needs_contact: true } : { ...base, status: 'pending' };
  });
}
