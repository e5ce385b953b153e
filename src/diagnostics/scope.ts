import { PLATFORM_NAMES, type PlatformName } from '../event/names.js';
import { planDeliveries } from '../delivery/plan.js';
import { DEFERRED_SKIP_REASONS } from '../outbox/types.js';
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

/** The skip reasons that are the gateway's own rules, applied before any platform's (src/delivery/plan.ts). */
const GATEWAY_SKIP_REASONS: ReadonlySet<string> = new Set(['consent_denied', 'test_order', ...DEFERRED_SKIP_REASONS]);

/**
 * Whether the gateway hands this event to the destination at all, before the platform's own rules: marketing
 * consent denied goes nowhere, a Shopify test order only to destinations in test mode, a browser-leg event only
 * under the browser leg's rule. Read off the gateway's delivery plan itself, so the two cannot drift apart.
 * Findings are reported for the destinations that pass.
 */
export function gatewayWouldSend(input: DiagnosticInput, platform: Platform<CommonSettings>, settings: CommonSettings): boolean {
  const [delivery] = planDeliveries(input.event, [settings], { test: input.test, source: input.source, platformFor: () => platform });
  return !(delivery?.status === 'skipped' && GATEWAY_SKIP_REASONS.has(delivery.skip_reason ?? ''));
}

/** Whether this destination would receive the event: exactly the gateway's delivery plan (a pending row). */
export function platformWouldReceive(input: DiagnosticInput, platform: Platform<CommonSettings>, settings: CommonSettings): boolean {
  const [delivery] = planDeliveries(input.event, [settings], { test: input.test, source: input.source, platformFor: () => platform });
  return delivery?.status === 'pending';
}
