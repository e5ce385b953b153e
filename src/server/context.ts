import type { LoadedConfig } from '../config/load.js';
import type { Diagnoser } from '../diagnostics/diagnose-in-thread.js';
import type { HistoryStore } from '../diagnostics/history/types.js';
import type { Logger } from '../logging/logger.js';
import type { OutboxStore } from '../outbox/types.js';
import type { Reconciler } from '../reconcile/run.js';
import type { GatewayMetrics } from './metrics.js';

/** What the delivery worker exposes to the HTTP faces: new work is there, and stop for shutdown. */
export interface WorkerHandle {
  /** A destination's loop (all of them without one) looks for work now instead of at its next due time. */
  wake(destinationId?: string): void;
  stop(): Promise<void>;
}

/** Mutable run state shared by the routes: flipped to `accepting: false` at shutdown (new ingest answers 503). */
export interface GatewayState {
  accepting: boolean;
}

/**
 * Everything a route plugin may use. Passed as the options of every plugin registered by `buildApp`, so a new
 * route file (reconcile, diagnostics, …) is one line in the plugin list.
 */
export interface GatewayContext {
  config: LoadedConfig;
  store: OutboxStore;
  worker: WorkerHandle;
  logger: Logger;
  metrics: GatewayMetrics;
  state: GatewayState;
  /** Diagnostics history (same database as the outbox); the diagnostics routes are mounted only when present. */
  historyStore?: HistoryStore;
  /** Diagnoses stored events off the HTTP thread, one diagnosis at a time (src/diagnostics/diagnose-in-thread.ts). */
  diagnose: Diagnoser;
  /** Reconciles a window off the HTTP thread, in turn with the diagnoses (the same thread). */
  reconcile: Reconciler;
}
