import type { PlatformName } from '../event/names.js';
import type { FindingCode } from '../identity/findings.js';
import type { HashedEvent } from '../identity/types.js';
import type { EventSource } from '../outbox/types.js';
import type { CommonSettings } from '../platforms/types.js';
import type { Severity } from './finding-catalog.js';
import type { SampleInfo } from './sample.js';

/** Printed beside every readiness figure (JSON, table, API, dashboard) so nobody mistakes it for a platform score. */
export const READINESS_LABEL = "Matchkey readiness (our estimate, not Meta's Event Match Quality)";

/** One event as diagnostics sees it: the hashed event, which leg it came from, and when the gateway saw it. */
export interface DiagnosticInput {
  event: HashedEvent;
  source: EventSource;
  /** A Shopify test order: only destinations in test mode receive it. */
  test: boolean;
  /** Unix seconds when the gateway received it (audit: the run's "now"); the reference for age findings. */
  seen_at: number;
}

/** The destinations diagnostics measures against: one per platform (the first configured one). */
export interface DiagnosticsScope {
  destinations: { platform: PlatformName; settings: CommonSettings }[];
}

export interface AggregatedFinding {
  code: FindingCode;
  severity: Severity;
  /** Events carrying this finding (an event counts once per code). */
  count: number;
  platforms: PlatformName[];
  /** Up to 5 event ids. */
  examples: string[];
  message: string;
  fix: string;
}

/** Share of sendable events whose built request carried each wire key; null when no event is sendable. */
export type Coverage = Record<string, number | null>;

export interface CoverageFigures {
  /** Events considered for this platform. */
  events: number;
  /** Of those, the ones this platform would receive (consent, test mode and the platform's own rule). */
  sendable: number;
  coverage: Coverage;
  /** 0–10, one decimal; null when nothing is sendable. See READINESS_LABEL. */
  readiness: number | null;
}

export interface PlatformDiagnostics extends CoverageFigures {
  destination_id: string;
  /** The same figures per canonical event name. */
  by_event: Record<string, CoverageFigures>;
}

export interface DedupFigures {
  /** Server-leg events (api, shopify) this platform receives. */
  server_events: number;
  browser_events: number;
  /** Server events with a browser twin (same mapped name and event_id within 48 h). */
  paired: number;
  /** paired / server_events; null when there are no server events. */
  paired_share: number | null;
  server_orphans: number;
  browser_orphans: number;
  /** event_ids sent by both legs under different mapped event names. */
  name_mismatches: number;
  examples: { server_orphans: string[]; browser_orphans: string[]; name_mismatches: string[] };
}

export interface DedupReport {
  platforms: Partial<Record<PlatformName, DedupFigures>>;
}

export interface DiagnosticsReport {
  events: number;
  readiness_label: string;
  platforms: Partial<Record<PlatformName, PlatformDiagnostics>>;
  warnings: AggregatedFinding[];
  /** Over stored events: how many the window held and which share of them was diagnosed (src/diagnostics/sample.ts). */
  sample?: SampleInfo;
}
