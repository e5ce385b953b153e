import { SAMPLE_KEY_SPACE, sampleKey } from '../outbox/event-scan.js';
import type { EventCursor, OutboxStore, StoredEvent } from '../outbox/types.js';

/** How many of a window's events a diagnosis read: all of them (rate 1), or a sample by event_id. */
export interface SampleInfo {
  /** Share of the window's event_ids diagnosed (1 = all of them). */
  rate: number;
  /** Events (each leg counted) received in the window (counted when the diagnosis began). */
  events_seen: number;
  /** Of those, the events diagnosed (both legs of each sampled event_id). */
  events_diagnosed: number;
}

/**
 * Events diagnosed at most per window: up to it a diagnosis reads every event, above it a sample of about 90% of
 * it. It sets the memory of a diagnosis (~7 KB of heap per event diagnosed, five destinations): ~+60 MiB on the
 * gateway at this size, measured on a 1.2M-event day.
 */
export const MAX_DIAGNOSED_EVENTS = 5_000;
/** Events read per page: one page at a time is in memory besides the sample. */
export const SCAN_PAGE_ROWS = 250;

/** What diagnostics reads stored events through: the store, or a read-only reader of it (openEventReader). */
export type StoredEventReads = Pick<OutboxStore, 'scanEvents' | 'countEvents'>;

/**
 * Reads the events received in [from, to) page by page and keeps those whose event_id falls in the sample. The
 * rate is set from the window's count to bring the sample to ~90% of `maxEvents`; should more arrive meanwhile
 * (or the ids fall unevenly), the sample halves on the way (the upper half of the kept key range is dropped) and
 * the scan goes on at the new rate. The result is exactly the sample at the final rate over the
 * whole window — every hour of it, not its first N events — and both legs of an event (browser and server, one
 * event_id) are in it or out of it together, so dedup pairing still pairs. Memory: the sample and one page,
 * whatever the window holds; events outside the sample are not even parsed. Below `maxEvents` every event is
 * kept, in received order.
 */
export async function sampleStoredEvents(
  store: StoredEventReads,
  range: { from: number; to: number },
  opts: { maxEvents?: number; pageRows?: number } = {},
): Promise<{ events: StoredEvent[]; sample: SampleInfo }> {
  const maxEvents = opts.maxEvents ?? MAX_DIAGNOSED_EVENTS;
  const limit = opts.pageRows ?? SCAN_PAGE_ROWS;
  const count = await store.countEvents(range);
  // Aim a little under the cap: a sample's size varies around count × rate.
  let below = count <= maxEvents ? SAMPLE_KEY_SPACE : Math.floor((SAMPLE_KEY_SPACE * maxEvents * 0.9) / count);
  let events: StoredEvent[] = [];
  let keys: number[] = [];
  let after: EventCursor | null = null;
  do {
    const page = await store.scanEvents({ ...range, limit, ...(below < SAMPLE_KEY_SPACE ? { sampleBelow: below } : {}), ...(after ? { after } : {}) });
    for (const e of page.events) {
      events.push(e);
      keys.push(sampleKey(e.event.event_id));
    }
    while (events.length > maxEvents && below > 1) {
      below = Math.floor(below / 2);
      const bound = below;
      events = events.filter((_, i) => keys[i]! < bound);
      keys = keys.filter((k) => k < bound);
    }
    after = page.next;
  } while (after);
  return { events, sample: { rate: below / SAMPLE_KEY_SPACE, events_seen: Math.max(count, events.length), events_diagnosed: events.length } };
}
