import type Database from 'better-sqlite3';
import { SAMPLE_KEY_SPACE } from '../event-scan.js';
import type { OrderRecord } from '../types.js';

/** A row of list-orders.sql (NULL columns absent, test 0/1), for the store and the read-only reader alike. */
export function orderOfRow(r: Record<string, unknown>): OrderRecord {
  const o: OrderRecord = { order_id: r.order_id as string, topic: r.topic as OrderRecord['topic'], occurred_at: r.occurred_at as number };
  if (r.name !== null) o.name = r.name as string;
  if (r.total !== null) o.total = r.total as number;
  if (r.currency !== null) o.currency = r.currency as string;
  if (r.test !== null) o.test = r.test === 1;
  if (r.financial_status !== null) o.financial_status = r.financial_status as string;
  if (r.refunded_amount !== null) o.refunded_amount = r.refunded_amount as number;
  return o;
}

/**
 * The order records of list-orders.sql (no bound = every order; no sample = all of them), read row by row: `.all()`
 * then map held every row beside its record (a reconciliation reads a month of them).
 */
export function readOrders(statement: Database.Statement, range: { from?: number; to?: number; sampleBelow?: number }): OrderRecord[] {
  const rows = statement.iterate({ from: range.from ?? 0, to: range.to ?? Number.MAX_SAFE_INTEGER, below: range.sampleBelow ?? SAMPLE_KEY_SPACE }) as IterableIterator<Record<string, unknown>>;
  const orders: OrderRecord[] = [];
  for (const r of rows) orders.push(orderOfRow(r));
  return orders;
}
