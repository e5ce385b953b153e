import type { HashedEvent } from '../identity/types.js';
import type { EventCursor, EventScanPage, EventScanQuery, OutboxStore, StoredEvent } from './types.js';

/** A store, or a read-only connection to one, that diagnostics reads a day from page by page. */
export interface EventReader extends Pick<OutboxStore, 'scanEvents'> {
  close(): Promise<void>;
}

/** The statement parameters of scan-events.sql: no cursor = just before the first row of the range. */
export function scanBounds(query: EventScanQuery): { from: number; to: number; after_at: number; after_id: number; limit: number } {
  const after: EventCursor = query.after ?? { received_at: query.from, id: 0 };
  return { from: query.from, to: query.to, after_at: after.received_at, after_id: after.id, limit: query.limit };
}

/** A page of scan-events.sql rows (id, event_id, body, source, test, received_at); only kept bodies are parsed. */
export function scanPage(rows: Iterable<Record<string, unknown>>, query: EventScanQuery): EventScanPage {
  const events: StoredEvent[] = [];
  let scanned = 0;
  let last: EventCursor | null = null;
  for (const r of rows) {
    scanned++;
    last = { received_at: r.received_at as number, id: r.id as number };
    if (query.keep && !query.keep(r.event_id as string)) continue;
    events.push({
      event: JSON.parse(r.body as string) as HashedEvent,
      source: r.source as StoredEvent['source'],
      // SQLite stores 0/1, PostgreSQL a boolean.
      test: r.test === 1 || r.test === true,
      received_at: r.received_at as number,
    });
  }
  return { events, scanned, next: scanned < query.limit ? null : last };
}
