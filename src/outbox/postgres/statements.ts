import { readFileSync } from 'node:fs';

// One file per SQL statement (./sql/<name>.sql), read once when the store opens, so each query can be read,
// reviewed and EXPLAINed on its own. Each is sent as a named prepared statement (parsed once per connection).

export const STATEMENT_NAMES = [
  'ingest',
  'record-order',
  'claim',
  'renew-leases',
  'release',
  'complete',
  'count-late-completions',
  'replay',
  'counts',
  'counts-pending',
  'next-due',
  'list-orders',
  'count-paid-orders',
  'purchase-delivery-outcomes',
  'list-events',
  'scan-events',
  'count-events',
  'has-event-from',
  'upload-outcome-counts',
  'prune-delivered',
  'delivery-outcomes',
  'save-browser-context',
  'find-browser-contexts',
  'prune-browser-contexts',
] as const;

export type StatementName = (typeof STATEMENT_NAMES)[number];

const SQL_DIR = new URL('./sql/', import.meta.url);

export function loadStatements(): Record<StatementName, string> {
  const out = {} as Record<StatementName, string>;
  for (const name of STATEMENT_NAMES) out[name] = readFileSync(new URL(`${name}.sql`, SQL_DIR), 'utf8');
  return out;
}
