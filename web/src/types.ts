// The shapes of the admin API answers the pages read (the gateway's src/server/routes/*.ts and docs/DASHBOARD.md).

export type Outcome = 'delivered' | 'retrying' | 'rejected' | 'dead';

export interface DashboardInfo {
  readiness_label: string;
  destinations: { id: string; platform: string; test: boolean }[];
  poll_ms: number;
}

export interface QueueCounts {
  destination_id: string;
  platform: string;
  pending: number;
  retrying: number;
  delivered: number;
  rejected: number;
  dead: number;
  skipped: number;
  oldest_pending_ms: number;
}

export interface Overview {
  range: string;
  now: number;
  from: number;
  to: number;
  bucket_ms: number;
  queue: QueueCounts[];
  activity: null | {
    events_in: number[];
    destinations: Record<string, { platform: string; series: Record<Outcome, number[]> }>;
  };
}

export interface Finding {
  code: string;
  severity: 'error' | 'warn' | 'info';
  count: number;
  platforms: string[];
  examples: string[];
  message: string;
  fix: string;
}

export interface PlatformDiagnostics {
  destination_id: string;
  events: number;
  sendable: number;
  coverage: Record<string, number | null>;
  readiness: number | null;
}

export interface Diagnostics {
  range: { from: number; to: number };
  events: number;
  readiness_label: string;
  platforms: Record<string, PlatformDiagnostics>;
  warnings: Finding[];
  /** How many events the window held and which share was diagnosed (docs/DIAGNOSTICS.md, Bounded memory). */
  sample?: { rate: number; events_seen: number; events_diagnosed: number };
}

export interface Snapshot {
  day: string;
  platform: string;
  readiness: number | null;
  events: number;
  coverage: Record<string, number | null>;
}

export interface History {
  from: string;
  to: string;
  readiness_label: string;
  snapshots: Snapshot[];
  annotations: { id: number; day: string; text: string }[];
  /** Keyed by platform, or `platform:destination` for a reading tied to one destination. */
  gauges: Record<string, { platform: string; destination_id?: string; kind: string; label: string; points: { day: string; value: number }[] }>;
}

/** GET /api/quality: the platforms' own pulled readings beside ours. Shares are 0–100. */
export interface QualityComparison {
  /** One per platform and destination; `destination_id` is absent on a score entered by hand for the platform. */
  scores: { platform: string; destination_id?: string; kind: string; value: number; day: string }[];
  keys: { platform: string; destination_id?: string; event: string; platform_event: string; key: string; ours: number | null; theirs: number; day: string; disagrees: boolean }[];
  /** Google's upload diagnostics: `ours` = share accepted by Google's upload answer, `theirs` = share Google processed. */
  uploads: { platform: string; destination_id?: string; day: string; ours: number | null; theirs: number; errors: { code: string; share: number }[]; disagrees: boolean }[];
  /** PLATFORM_COVERAGE_BELOW_SENT carries `event` and `key`; PLATFORM_UPLOADS_BELOW_SENT carries `errors`. */
  findings: { code: string; severity: string; message: string; fix: string; platform: string; destination_id?: string; event?: string; key?: string; errors?: { code: string; share: number }[]; ours: number | null; theirs: number }[];
}

export interface DedupFigures {
  server_events: number;
  browser_events: number;
  paired: number;
  paired_share: number | null;
  server_orphans: number;
  browser_orphans: number;
  name_mismatches: number;
  examples: { server_orphans: string[]; browser_orphans: string[]; name_mismatches: string[] };
}

export interface Dedup {
  events: number;
  platforms: Record<string, DedupFigures>;
}

export interface Attempt {
  at: number;
  latency_ms: number;
  http_status?: number;
  outcome: string;
  platform_code?: string;
  message?: string;
}

export type RequestPreview = { method: string; url: string; headers: Record<string, string>; body: unknown; note?: string } | { unavailable: string };

export interface InspectedDelivery {
  delivery_id: number;
  destination_id: string;
  platform: string;
  status: string;
  attempts: number;
  created_at: number;
  next_attempt_at?: number;
  finished_at?: number;
  skip_reason?: string;
  error_code?: string;
  error_message?: string;
  attempt_log: Attempt[];
  request: RequestPreview;
}

export interface InspectedEvent {
  event: { event_id: string; event_name: string; event_time: number; [k: string]: unknown };
  source: string;
  test: boolean;
  received_at: number;
  deliveries: InspectedDelivery[];
}

export interface DeadLetter {
  delivery_id: number;
  event_id: string;
  event_name: string;
  destination_id: string;
  platform: string;
  status: 'dead' | 'rejected';
  attempts: number;
  error_code?: string;
  error_message?: string;
  finished_at: number;
}

export interface DeadLetterPage {
  limit: number;
  offset: number;
  total: number;
  rows: DeadLetter[];
  reasons: { error_code: string; n: number }[];
}

export interface ReconcilePlatform {
  attributed_conversions: number;
  attributed_value: number | null;
  currency: string | null;
  share: number | null;
  value_share: number | null;
  attribution_window: string;
  /** `platform`: read from the platform's reporting API, counted with this window. */
  attribution_window_source: 'default' | 'override' | 'export' | 'platform';
  immature_days: number;
  immature_from: string | null;
  by_day: { date: string; orders_of_record: number; attributed_conversions: number; attributed_value: number | null }[];
  pulled?: { destination_id: string; endpoint: string; attribution_window: string; window_source: 'requested' | 'account_setting'; window_detail: string }[];
  notes: string[];
}

export interface AttributedPullReport {
  failed: { platform: string; destination_id: string; error: { kind: string; code: string; message: string } }[];
  skipped: { platform: string; destination_id: string; kind: 'not_configured' | 'no_read_api'; reason: string }[];
}

export interface ReconcileDelivery {
  sent: number;
  accepted: number;
  rejected: number;
  dead: number;
  pending: number;
  skipped: number;
  accepted_share: number | null;
  never_accepted_total: number;
}

export interface ReconcileReport {
  window: { from: string; to: string; as_of: string };
  orders_of_record: {
    /** Every order the source holds: read = count + Σ excluded + outside_window. */
    read: number;
    count: number;
    revenue: number;
    currency: string | null;
    excluded: { test: number; cancelled: number; unknown_status: number; unpaid: number; refunded: number };
    unknown_statuses: Record<string, number>;
    outside_window: number;
    refunded_amount: number;
    source: string;
  };
  platforms: Record<string, ReconcilePlatform>;
  delivery: Record<string, ReconcileDelivery>;
  delivery_available: boolean;
  attributed_pull?: AttributedPullReport;
  note: string;
  notes: string[];
}

export interface AlertIncident {
  id: number;
  rule: string;
  subject: string;
  message: string;
  opened_at: number;
  resolved_at: number | null;
}

export interface AlertsPage {
  configured: boolean;
  channels: { id: string; type: string }[];
  rules: string[];
  incidents: AlertIncident[];
}
