import { maskSecrets, secretValues } from '../../cli/commands/preview.js';
import type { HashedEvent } from '../../identity/types.js';
import type { InspectedDelivery } from '../../outbox/types.js';
import { platformFor } from '../../platforms/registry.js';
import type { CommonSettings } from '../../platforms/types.js';

// The event inspector's "request body per platform": the stored hashed event rebuilt through the same platform
// builder the delivery worker uses, with the destination's secrets masked. Rebuilt for this event alone — the
// worker batches several events into one body — so it shows exactly what this event contributed.

const MASK = '***';

export type RequestPreview =
  | { method: string; url: string; headers: Record<string, string>; body: unknown; note?: string }
  | { unavailable: string };

/** Klaviyo identifies the profile by the raw contact, which is sealed at rest and deleted once delivered. */
const CONTACT_NOTE = 'The raw contact Klaviyo receives is sealed at rest, deleted once delivered and never shown here: the profile below lacks it.';

export function rebuildRequest(
  event: HashedEvent,
  delivery: Pick<InspectedDelivery, 'destination_id' | 'platform' | 'status' | 'skip_reason'>,
  destinations: readonly CommonSettings[],
  nowSec: number,
): RequestPreview {
  if (delivery.status === 'skipped') return { unavailable: `not sent: ${delivery.skip_reason ?? 'skipped'}` };
  const settings = destinations.find((d) => d.id === delivery.destination_id && d.platform === delivery.platform);
  if (!settings) return { unavailable: `destination "${delivery.destination_id}" is no longer configured` };
  const platform = platformFor(delivery.platform);
  // The stored event never holds the contact; strip it anyway so no future store can leak it through here.
  const { contact: _contact, ...hashed } = event;
  try {
    const ctx = { now: nowSec, ...(platform.fetchAccessToken ? { accessToken: MASK } : {}) };
    const request = platform.buildRequest([hashed], settings, ctx);
    const masked = maskSecrets({ method: request.method, url: request.url, headers: request.headers, body: request.body }, secretValues(settings, platform.secretSettings));
    return platform.name === 'klaviyo' ? { ...masked, note: CONTACT_NOTE } : masked;
  } catch (err) {
    return { unavailable: `the ${platform.name} builder cannot express this event (${err instanceof Error ? err.constructor.name : 'error'})` };
  }
}
