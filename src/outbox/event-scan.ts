import { hash } from 'node:crypto';
import { decodeStoredEvent } from './stored-event.js';
import type { DeliveryOutcome, EventCursor, EventScanPage, EventScanQuery, OutboxStore, StoredEvent } from './types.js';

/**
 * A store, or a read-only connection to one, for the reads run off the gateway's thread: diagnostics reads a day
 * from it page by page, reconciliation its order log and the delivery outcomes of a window.
 */
export interface EventReader extends Pick<OutboxStore, 'scanEvents' | 'countEvents' | 'listOrders'> {
  deliveryOutcomes(range: { from: number; to: number }): Promise<DeliveryOutcome[]>;
  close(): Promise<void>;
}

/** Every sample key is below this: a scan with it (the default) returns every event. */
export const SAMPLE_KEY_SPACE = 2 ** 32;

/**
 * Where an event_id falls in [0, 2³²) for sampling: the first 32 bits of its MD5 — not for secrecy, for a spread
 * that does not depend on how ids are formed (order numbers, UUIDs, hashes). PostgreSQL computes the same in SQL
 * (md5() is built in); SQLite calls this function (registered as matchkey_sample_key, see statements.ts), and its
 * writer stores it with each order record (orders.sample_key, of the order's purchase event_id).
 */
export function sampleKey(eventId: string): number {
  return Number.parseInt(hash('md5', eventId).slice(0, 8), 16);
}

/** The statement parameters of scan-events.sql: no cursor = just before the first row of the range. */
export function scanBounds(query: EventScanQuery): { from: number; to: number; after_at: number; after_id: number; limit: number; below: number } {
  const after: EventCursor = query.after ?? { received_at: query.from, id: 0 };
  return { from: query.from, to: query.to, after_at: after.received_at, after_id: after.id, limit: query.limit, below: query.sampleBelow ?? SAMPLE_KEY_SPACE };
}

/** A page of scan-events.sql rows (id, received_at, source, test, body, hashes: see src/outbox/stored-event.ts). */
export function scanPage(rows: Iterable<Record<string, unknown>>, query: EventScanQuery): EventScanPage {
  const events: StoredEvent[] = [];
  let last: EventCursor | null = null;
  for (const r of rows) {
    last = { received_at: r.received_at as number, id: r.id as number };
    events.push({
      event: decodeStoredEvent(r.body as string, r.hashes as Uint8Array | null),
      source: r.source as StoredEvent['source'],
      // SQLite stores 0/1, PostgreSQL a boolean.
      test: r.test === 1 || r.test === true,
      received_at: r.received_at as number,
    });
  }
  return { events, next: events.length < query.limit ? null : last };
}
