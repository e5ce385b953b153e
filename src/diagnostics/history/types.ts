import type { PlatformName } from '../../event/names.js';
import type { FindingCode } from '../../identity/findings.js';
import type { Severity } from '../finding-catalog.js';
import type { SampleInfo } from '../sample.js';
import type { Coverage } from '../types.js';

/** One platform's diagnostics for one UTC day, over the events received that day. */
export interface DailySnapshot {
  /** YYYY-MM-DD (UTC). */
  day: string;
  platform: PlatformName;
  destination_id: string;
  events: number;
  sendable: number;
  coverage: Coverage;
  /** Matchkey readiness (our estimate, not Meta's Event Match Quality); null when nothing was sendable. */
  readiness: number | null;
  findings: { code: FindingCode; severity: Severity; count: number }[];
  /**
   * Which share of the day was diagnosed (rate 1 = every event; src/diagnostics/sample.ts). Absent on snapshots
   * taken before snapshots said so.
   */
  sample?: SampleInfo;
  /** Unix ms; a later snapshot of the same day and platform replaces the earlier one. */
  taken_at: number;
}

/** An operator's note on a day ("sent external_id"), drawn on every history line. */
export interface Annotation {
  id: number;
  day: string;
  text: string;
  created_at: number;
}

// The score each platform reports about its own matching, entered by the operator from the platform's UI.
// Each is shown only against its own history: the platforms compute them differently, they are never compared
// with each other nor with Matchkey readiness.
export const GAUGE_KINDS = {
  meta: { kind: 'event_match_quality', label: "Meta Event Match Quality (Meta's score, 0–10)", min: 0, max: 10 },
  tiktok: { kind: 'match_indicator', label: "TikTok match indicator (TikTok's figure)", min: 0, max: 100 },
  pinterest: { kind: 'enhanced_match_coverage', label: "Pinterest enhanced match coverage (Pinterest's %, 0–100)", min: 0, max: 100 },
} as const satisfies Partial<Record<PlatformName, { kind: string; label: string; min: number; max: number }>>;

export type GaugePlatform = keyof typeof GAUGE_KINDS;

/**
 * Platforms whose readings only a pull writes (src/diagnostics/quality/pull.ts): Google's upload success rate has no
 * score shown in its UI to type in, so `matchkey gauge` does not take it.
 */
export const PULLED_GAUGE_PLATFORMS = ['google'] as const;
export type GaugeSource = GaugePlatform | (typeof PULLED_GAUGE_PLATFORMS)[number];

/** The kind `matchkey gauge` writes for the platform; undefined for a platform only pulled. */
export function manualGaugeKind(platform: GaugeSource): string | undefined {
  return Object.hasOwn(GAUGE_KINDS, platform) ? GAUGE_KINDS[platform as GaugePlatform].kind : undefined;
}

export interface Gauge {
  day: string;
  platform: GaugeSource;
  /**
   * The destination the reading is about: a pull reads one dataset or ad account per destination, so two
   * destinations of one platform keep two series. Absent for a reading entered for the platform as a whole.
   */
  destination_id?: string;
  kind: string;
  value: number;
  recorded_at: number;
}

export interface HistoryRange {
  /** First day, inclusive (YYYY-MM-DD). */
  from?: string;
  /** Last day, inclusive. */
  to?: string;
  platform?: PlatformName;
}

/**
 * Where daily snapshots, annotations and platform gauges live. SQLite shares the outbox's database file
 * (tables diag_*); a PostgreSQL implementation can follow behind the same interface.
 */
export interface HistoryStore extends IncidentStore {
  migrate(): Promise<void>;
  /** Inserts or replaces (day, platform). */
  putSnapshots(snapshots: DailySnapshot[]): Promise<void>;
  /** Oldest day first, platforms in registry order within a day. */
  listSnapshots(range?: HistoryRange): Promise<DailySnapshot[]>;
  addAnnotation(note: { day: string; text: string; created_at: number }): Promise<Annotation>;
  listAnnotations(range?: Omit<HistoryRange, 'platform'>): Promise<Annotation[]>;
  /** Inserts or replaces (day, platform, destination, kind): one reading per day. */
  recordGauge(gauge: Gauge): Promise<void>;
  listGauges(range?: HistoryRange): Promise<Gauge[]>;
  close(): Promise<void>;
}

/** One alert incident (docs/ALERTS.md): open while its condition holds, resolved once it clears. */
export interface AlertIncident {
  id: number;
  /** `destination_paused`, `dead_letters`, `delivered_share`, `no_events`, `quality_drop`. */
  rule: string;
  /** What it is about: a destination id, a platform, a source, a destination's score (`meta-main:event_match_quality`). */
  subject: string;
  message: string;
  opened_at: number;
  resolved_at: number | null;
}

/** Where alert incidents live (the history store's database), so a restart neither fires again nor forgets. */
export interface IncidentStore {
  /**
   * Opens an incident for (rule, subject) unless one is already open; returns it when this call opened it, null
   * when one was open (several gateway instances evaluating together: only one of them sends).
   */
  openIncident(incident: { rule: string; subject: string; message: string; opened_at: number }): Promise<AlertIncident | null>;
  /** Marks the open incident resolved; returns it when this call resolved it. */
  resolveIncident(id: number, at: number): Promise<AlertIncident | null>;
  /** Newest first; `open` = only unresolved ones. */
  listIncidents(query?: { open?: boolean; limit?: number }): Promise<AlertIncident[]>;
}
