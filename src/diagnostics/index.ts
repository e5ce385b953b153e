// The diagnostics module's public face, for the gateway (snapshot timer, admin routes) and the CLI.
export { diagnose, hasErrors } from './diagnose.js';
export { diagnoseStored, storedToInput } from './stored-events.js';
export { MAX_DIAGNOSED_EVENTS, sampleStoredEvents, type SampleInfo, type StoredEventReads } from './sample.js';
export { auditText } from './audit.js';
export { FINDING_CATALOG } from './finding-catalog.js';
export { READINESS_WEIGHTS, readinessScore } from './readiness.js';
export { WIRE_KEYS } from './wire-keys.js';
export { READINESS_LABEL } from './types.js';
export type { AggregatedFinding, DedupReport, DiagnosticInput, DiagnosticsReport, PlatformDiagnostics } from './types.js';
export { computeDailySnapshots, takeDailySnapshot, scheduleDailySnapshots, type Clock, type SnapshotScheduler } from './history/snapshot.js';
export { openHistoryStore } from './history/open.js';
export { SqliteHistoryStore } from './history/sqlite-history-store.js';
export type { HistoryStore, DailySnapshot, Annotation, Gauge } from './history/types.js';
