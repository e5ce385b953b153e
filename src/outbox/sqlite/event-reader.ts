import Database from 'better-sqlite3';
import { scanBounds, scanPage, type EventReader } from '../event-scan.js';
import type { DeliveryOutcome, EventScanPage, EventScanQuery, OrderRecord } from '../types.js';
import { sqliteDeliveryOutcomes, sqliteForEachDeliveryOutcome } from './delivery-outcomes.js';
import { readOrders } from './order-rows.js';
import { readStatement, registerFunctions } from './statements.js';

/**
 * A read-only connection to the outbox file for the reads run in a worker thread (diagnostics and the daily
 * snapshot, reconciliation: src/diagnostics/diagnose-in-thread.ts): it neither migrates nor starts a writer, so the
 * gateway's writer thread stays the file's only writer. WAL lets it read beside the writer without blocking it.
 */
export class SqliteEventReader implements EventReader {
  private readonly db: Database.Database;
  private readonly scan: Database.Statement;
  private readonly count: Database.Statement;
  private readonly orders: Database.Statement;

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.db.pragma('busy_timeout = 5000');
    registerFunctions(this.db);
    this.scan = this.db.prepare(readStatement('scan-events'));
    this.count = this.db.prepare(readStatement('count-events'));
    this.orders = this.db.prepare(readStatement('list-orders'));
  }

  async listOrders(range: { from?: number; to?: number; sampleBelow?: number } = {}): Promise<OrderRecord[]> {
    return readOrders(this.orders, range);
  }

  async deliveryOutcomes(range: { from: number; to: number }): Promise<DeliveryOutcome[]> {
    return sqliteDeliveryOutcomes(this.db, range);
  }

  async forEachDeliveryOutcome(range: { from: number; to: number }, visit: (outcome: DeliveryOutcome) => void): Promise<void> {
    sqliteForEachDeliveryOutcome(this.db, range, visit);
  }

  async scanEvents(query: EventScanQuery): Promise<EventScanPage> {
    return scanPage(this.scan.iterate(scanBounds(query)) as IterableIterator<Record<string, unknown>>, query);
  }

  async countEvents(range: { from: number; to: number }): Promise<number> {
    return (this.count.get(range) as { n: number }).n;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
