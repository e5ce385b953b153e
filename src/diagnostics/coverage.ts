import type { PlatformName } from '../event/names.js';
import type { HashedEvent } from '../identity/types.js';
import { PLATFORMS } from '../platforms/registry.js';
import type { CommonSettings, Platform } from '../platforms/types.js';
import { readinessScore } from './readiness.js';
import type { Coverage, CoverageFigures, PlatformDiagnostics } from './types.js';
import { WIRE_KEYS, wireKeysPerEvent } from './wire-keys.js';

/** Builds are batched to this size at most (memory), within the platform's own limit. */
const BUILD_CHUNK = 500;

/**
 * The wire keys each event's built request carried, events in order. Events are built in batches (one request
 * per chunk, keys read per event from the body); when a batch cannot be attributed per event (a builder that
 * throws, or a body of an unexpected shape) its events are built one by one; an event that still cannot be
 * built carried nothing.
 */
export function keysCarried(
  platformName: PlatformName,
  events: readonly HashedEvent[],
  settings: CommonSettings,
  now: number,
): Set<string>[] {
  const platform: Platform<CommonSettings> = PLATFORMS[platformName];
  const chunk = Math.max(1, Math.min(platform.maxBatch, BUILD_CHUNK));
  // Nothing is sent from here: a platform that needs an OAuth token to build (Google) gets a stand-in, or every
  // build would throw and the platform would show 0% on every key.
  const ctx = platform.fetchAccessToken ? { now, accessToken: 'diagnostics-never-sent' } : { now };
  const build = (batch: HashedEvent[]): Set<string>[] | null => {
    try {
      const keys = wireKeysPerEvent(platformName, platform.buildRequest(batch, settings, ctx).body);
      return keys && keys.length === batch.length ? keys : null;
    } catch {
      return null;
    }
  };
  const out: Set<string>[] = [];
  for (let start = 0; start < events.length; start += chunk) {
    const batch = events.slice(start, start + chunk);
    const keys = build(batch) ?? batch.map((event) => build([event])?.[0] ?? new Set<string>());
    out.push(...keys);
  }
  return out;
}

function figuresOf(platform: PlatformName, considered: number, carried: readonly Set<string>[]): CoverageFigures {
  const coverage: Coverage = {};
  for (const key of WIRE_KEYS[platform]) {
    const withKey = carried.reduce((n, keys) => n + (keys.has(key) ? 1 : 0), 0);
    coverage[key] = carried.length === 0 ? null : Math.round((withKey / carried.length) * 10000) / 10000;
  }
  return { events: considered, sendable: carried.length, coverage, readiness: readinessScore(platform, coverage) };
}

/**
 * Coverage for one platform, overall and per canonical event name. `events` are all events considered;
 * `sendable[i]` says whether the platform receives events[i] (the denominator of every share).
 */
export function platformCoverage(
  platform: PlatformName,
  destinationId: string,
  events: readonly HashedEvent[],
  sendable: readonly boolean[],
  settings: CommonSettings,
  now: number,
): PlatformDiagnostics {
  const toSend = events.filter((_, i) => sendable[i]);
  const carried = keysCarried(platform, toSend, settings, now);
  const names = [...new Set(events.map((e) => e.event_name))].sort();
  const byEvent: Record<string, CoverageFigures> = {};
  for (const name of names) {
    const considered = events.filter((e) => e.event_name === name).length;
    byEvent[name] = figuresOf(
      platform,
      considered,
      carried.filter((_, i) => toSend[i]!.event_name === name),
    );
  }
  return { destination_id: destinationId, ...figuresOf(platform, events.length, carried), by_event: byEvent };
}
