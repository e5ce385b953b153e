import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { sampleKey } from '../event-scan.js';

// One file per SQL statement (./sql/<name>.sql), read and prepared once when the store opens, so each query
// can be read, reviewed and EXPLAINed on its own.

export const STATEMENT_NAMES = [
  'insert-webhook',
  'insert-event',
  'find-event',
  'insert-delivery',
  'insert-order',
  'claim',
  'event-body',
  'renew-leases',
  'release',
  'release-orphaned-leases',
  'complete',
  'insert-attempt',
  'replay',
  'counts',
  'counts-pending',
  'add-total',
  'add-backlog',
  'add-activity',
  'unfold-attempt',
  'has-twin',
  'twin-delivery',
  'next-due',
  'list-orders',
  'count-paid-orders',
  'purchase-delivery-outcomes',
  'list-events',
  'scan-events',
  'count-events',
  'has-event-from',
  'upload-outcome-counts',
  'take-over-browser-delivery',
  'prunable-delivered',
  'mark-deliveries-pruned',
  'delete-attempts-of',
  'delete-deliveries',
  'save-browser-context',
  'find-browser-contexts',
  'prune-browser-contexts',
  'destination-number',
  'destination-numbers',
  'insert-queued',
  'claim-queued',
  'take-queued',
  'lease-queued',
  'release-orphaned-queued',
  'insert-dequeued',
  'insert-taken-over',
  'delete-queued',
] as const;

export type StatementName = (typeof STATEMENT_NAMES)[number];

const SQL_DIR = new URL('./sql/', import.meta.url);

export function readStatement(name: StatementName): string {
  return readFileSync(new URL(`${name}.sql`, SQL_DIR), 'utf8');
}

/**
 * The SQL functions the statements and migrations call (scan-events, and migration 006's backfill of
 * orders.sample_key: the sample key PostgreSQL computes with md5()).
 */
export function registerFunctions(db: Database.Database): void {
  db.function('matchkey_sample_key', { deterministic: true }, (eventId) => sampleKey(eventId as string));
}

export function prepareStatements(db: Database.Database): Record<StatementName, Database.Statement> {
  registerFunctions(db);
  const out = {} as Record<StatementName, Database.Statement>;
  for (const name of STATEMENT_NAMES) out[name] = db.prepare(readStatement(name));
  return out;
}
