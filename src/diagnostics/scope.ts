import { PLATFORM_NAMES, type PlatformName } from '../event/names.js';
import { planDeliveries } from '../delivery/plan.js';
import { PLATFORMS } from '../platforms/registry.js';
import type { CommonSettings, Platform } from '../platforms/types.js';
import type { DiagnosticInput, DiagnosticsScope } from './types.js';

/**
 * The destinations to measure: the first configured destination of each platform, or — with no configuration
 * or none configured — every platform with its placeholder settings (what `matchkey audit` shows by default).
 */
export function scopeFromDestinations(destinations: readonly CommonSettings[] | undefined): DiagnosticsScope {
  if (!destinations || destinations.length === 0) {
    return { destinations: PLATFORM_NAMES.map((platform) => ({ platform, settings: PLATFORMS[platform].placeholderSettings })) };
  }
  const seen = new Set<PlatformName>();
  const out: DiagnosticsScope['destinations'] = [];
  for (const settings of destinations) {
    if (seen.has(settings.platform)) continue;
    seen.add(settings.platform);
    out.push({ platform: settings.platform, settings });
  }
  return { destinations: out };
}

/**
 * Whether the gateway hands this event to the destination at all, before the platform's own rules — the first
 * three rules of `planDeliveries` (src/delivery/plan.ts): marketing consent denied goes nowhere, a Shopify test
 * order only to destinations in test mode, a browser-leg event only where the destination sends browser events
 * server-side. Findings are reported for the destinations that pass.
 */
export function gatewayWouldSend(input: DiagnosticInput, platform: Platform<CommonSettings>, settings: CommonSettings): boolean {
  if (!input.event.consent.marketing) return false;
  if (input.test && !platform.isTestMode(settings)) return false;
  if (input.source === 'browser' && (settings as { send_browser_events?: boolean }).send_browser_events !== true) return false;
  return true;
}

/** Whether this destination would receive the event: exactly the gateway's delivery plan (a pending row). */
export function platformWouldReceive(input: DiagnosticInput, platform: Platform<CommonSettings>, settings: CommonSettings): boolean {
  const [delivery] = planDeliveries(input.event, [settings], { test: input.test, source: input.source, platformFor: () => platform });
  return delivery?.status === 'pending';
}
