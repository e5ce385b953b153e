import { EVENT_NAME_TABLE, STANDARD_EVENT_NAMES } from '../../event/names.js';
import { manualGaugeKind, type Gauge } from '../history/types.js';
import type { PlatformDiagnostics } from '../types.js';
import { KEY_COVERAGE_PREFIX, QUALITY_PLATFORMS, SCORE_KIND, UPLOAD_ACCEPTED_KIND, UPLOAD_ERRORS_PREFIX, type QualityPlatform } from './pull.js';

// "Ours vs the platform's", per platform, event and key: the share of sendable events Matchkey sent carrying the
// key (diagnostics over the same days) beside the share the platform reports having seen. A key the platform sees
// far less often than we sent it is lost between us and the platform (hashing or format the platform refuses, a
// field it ignores) and raises PLATFORM_COVERAGE_BELOW_SENT.
// Google reports no per-key coverage: its side is the share of uploads it processed successfully, beside the share
// of the same uploads Matchkey had accepted by Google's upload answer; uploads Google drops after accepting them
// raise PLATFORM_UPLOADS_BELOW_SENT.

/** Percentage points: below this gap the two counts differ by windows and sampling, not by a lost key. */
export const COVERAGE_GAP_POINTS = 20;

export interface KeyComparison {
  platform: QualityPlatform;
  /** The destination whose dataset or ad account was read; absent on readings stored before destinations were kept. */
  destination_id?: string;
  /** Canonical event name. */
  event: string;
  /** The platform's own event name. */
  platform_event: string;
  key: string;
  /** 0–100; null when Matchkey sent no such event in the window. */
  ours: number | null;
  theirs: number;
  day: string;
  disagrees: boolean;
}

export interface PlatformScore {
  platform: QualityPlatform;
  /** Absent for a reading entered by hand for the platform as a whole (`matchkey gauge`). */
  destination_id?: string;
  kind: string;
  value: number;
  day: string;
}

export interface UploadComparison {
  platform: 'google';
  destination_id?: string;
  day: string;
  /** 0–100: the share of its uploads Matchkey had accepted by Google's upload answer (null: none ended that day). */
  ours: number | null;
  /** 0–100: the share Google reports having processed successfully. */
  theirs: number;
  /** The error codes Google (or its requestStatus answers) gave that day, with their share 0–100 of the uploads. */
  errors: { code: string; share: number }[];
  disagrees: boolean;
}

export interface QualityComparison {
  /** The latest headline score per platform and destination, with its day. */
  scores: PlatformScore[];
  keys: KeyComparison[];
  /** Google's upload diagnostics per destination, on the day of its latest success rate. */
  uploads: UploadComparison[];
}

function canonicalEvent(platform: QualityPlatform, platformEvent: string): string | undefined {
  if (platform === 'google') return undefined;
  return STANDARD_EVENT_NAMES.find((name) => EVENT_NAME_TABLE[platform][name] === platformEvent);
}

/** A kind only a pull writes (never `matchkey gauge`): an untagged reading of it was pulled before destinations were kept. */
const pulledOnly = (g: Gauge): boolean => g.kind !== manualGaugeKind(g.platform);

/** `gauges`: any order; the latest day of each (platform, destination, kind) wins. */
export function compareQuality(gauges: Gauge[], ours: Partial<Record<string, Pick<PlatformDiagnostics, 'by_event'>>>): QualityComparison {
  const tagged = new Set(gauges.filter((g) => g.destination_id !== undefined).map((g) => g.platform));
  const latest = new Map<string, Gauge>();
  for (const g of gauges) {
    // Once a platform's pulls name their destination, its untagged pulled readings are the same series, older.
    if (g.destination_id === undefined && tagged.has(g.platform) && pulledOnly(g)) continue;
    const id = `${g.platform}\u0000${g.destination_id ?? ''}\u0000${g.kind}`;
    const seen = latest.get(id);
    if (!seen || seen.day < g.day) latest.set(id, g);
  }
  // A pull reports every event and key it has for the day: a key reading older than its destination's latest pull is
  // one the platform no longer reports (an event gone quiet), not the platform's current view.
  const lastPull = new Map<string, string>();
  for (const g of latest.values()) {
    if (!g.kind.startsWith(KEY_COVERAGE_PREFIX)) continue;
    const id = `${g.platform}\u0000${g.destination_id ?? ''}`;
    if ((lastPull.get(id) ?? '') < g.day) lastPull.set(id, g.day);
  }
  const result: QualityComparison = { scores: [], keys: [], uploads: [] };
  for (const g of latest.values()) {
    const platform = g.platform as QualityPlatform;
    if (!(QUALITY_PLATFORMS as readonly string[]).includes(platform)) continue;
    const destination = g.destination_id !== undefined ? { destination_id: g.destination_id } : {};
    if (g.kind === SCORE_KIND[platform]) {
      result.scores.push({ platform, ...destination, kind: g.kind, value: g.value, day: g.day });
      if (platform === 'google') result.uploads.push(uploadComparison(g, latest));
      continue;
    }
    if (!g.kind.startsWith(KEY_COVERAGE_PREFIX) || g.day < lastPull.get(`${g.platform}\u0000${g.destination_id ?? ''}`)!) continue;
    const rest = g.kind.slice(KEY_COVERAGE_PREFIX.length);
    const cut = rest.lastIndexOf(':');
    const platformEvent = rest.slice(0, cut);
    const key = rest.slice(cut + 1);
    const event = canonicalEvent(platform, platformEvent);
    if (!event) continue;
    const share = ours[platform]?.by_event[event]?.coverage[key];
    const oursPct = share === undefined || share === null ? null : Math.round(share * 1000) / 10;
    result.keys.push({
      platform, ...destination, event, platform_event: platformEvent, key, ours: oursPct, theirs: g.value, day: g.day,
      disagrees: oursPct !== null && oursPct - g.value >= COVERAGE_GAP_POINTS,
    });
  }
  const byDestination = (a: { platform: string; destination_id?: string }, b: { platform: string; destination_id?: string }) =>
    a.platform.localeCompare(b.platform) || (a.destination_id ?? '').localeCompare(b.destination_id ?? '');
  result.scores.sort(byDestination);
  result.uploads.sort(byDestination);
  result.keys.sort((a, b) => byDestination(a, b) || a.event.localeCompare(b.event) || a.key.localeCompare(b.key));
  return result;
}

/** The destination's other upload readings of the same day as its success rate `g`. */
function uploadComparison(g: Gauge, latest: Map<string, Gauge>): UploadComparison {
  const sameDay = [...latest.values()].filter((x) => x.platform === g.platform && x.destination_id === g.destination_id && x.day === g.day);
  const ours = sameDay.find((x) => x.kind === UPLOAD_ACCEPTED_KIND)?.value ?? null;
  const errors = sameDay
    .filter((x) => x.kind.startsWith(UPLOAD_ERRORS_PREFIX))
    .map((x) => ({ code: x.kind.slice(UPLOAD_ERRORS_PREFIX.length), share: x.value }))
    .sort((a, b) => b.share - a.share || a.code.localeCompare(b.code));
  return {
    platform: 'google', ...(g.destination_id !== undefined ? { destination_id: g.destination_id } : {}), day: g.day, ours, theirs: g.value, errors,
    disagrees: ours !== null && ours - g.value >= COVERAGE_GAP_POINTS,
  };
}
