import { hash } from 'node:crypto';
import type { OutboxStore, StoredEvent } from '../outbox/types.js';

/** How many of a window's events a diagnosis read: all of them (rate 1), or a sample by event_id. */
export interface SampleInfo {
  /** Share of the window's event_ids diagnosed: 1, ½, ¼, … */
  rate: number;
  /** Events (each leg counted) received in the window: every row was read. */
  events_seen: number;
  /** Of those, the events diagnosed (both legs of each sampled event_id). */
  events_diagnosed: number;
}

/** Events diagnosed at most per window: below it a diagnosis reads every event, above it a sample this size or half. */
export const MAX_DIAGNOSED_EVENTS = 20_000;
/** Rows read per page: one page at a time is in memory besides the sample. */
export const SCAN_PAGE_ROWS = 1_000;

const KEY_SPACE = 2 ** 32;

/**
 * Where an event_id falls in [0, 2³²): the first 32 bits of its MD5 — not for secrecy, for a spread that does not
 * depend on how ids are formed (order numbers, UUIDs, hashes), so a sample holds the same share of each.
 */
export function sampleKey(eventId: string): number {
  return Number.parseInt(hash('md5', eventId).slice(0, 8), 16);
}

/**
 * Reads the events received in [from, to) page by page and keeps those whose event_id falls in the sample: at
 * first all of them; whenever more than `maxEvents` are kept, the sample halves (event_ids in the upper half of
 * the kept key range are dropped) and the scan goes on at the new rate. The result is exactly the sample at the
 * final rate over the whole window — every hour of it, not its first N events — and both legs of an event
 * (browser and server, one event_id) are in it or out of it together, so dedup pairing still pairs. Memory: the
 * sample and one page, whatever the window holds. Below `maxEvents` every event is kept, in received order.
 */
export async function sampleStoredEvents(
  store: Pick<OutboxStore, 'scanEvents'>,
  range: { from: number; to: number },
  opts: { maxEvents?: number; pageRows?: number } = {},
): Promise<{ events: StoredEvent[]; sample: SampleInfo }> {
  const maxEvents = opts.maxEvents ?? MAX_DIAGNOSED_EVENTS;
  const limit = opts.pageRows ?? SCAN_PAGE_ROWS;
  let halvings = 0;
  let bound = KEY_SPACE; // keys below it are kept
  let events: StoredEvent[] = [];
  let keys: number[] = [];
  let seen = 0;
  // The key of the id just accepted, so the page's kept events need not be hashed twice.
  const pageKeys: number[] = [];
  const keep = (eventId: string): boolean => {
    const key = sampleKey(eventId);
    if (key >= bound) return false;
    pageKeys.push(key);
    return true;
  };
  let after: Awaited<ReturnType<OutboxStore['scanEvents']>>['next'] = null;
  do {
    pageKeys.length = 0;
    const page = await store.scanEvents({ ...range, limit, keep, ...(after ? { after } : {}) });
    seen += page.scanned;
    events.push(...page.events);
    keys.push(...pageKeys);
    while (events.length > maxEvents && bound > 1) {
      halvings++;
      bound = KEY_SPACE / 2 ** halvings;
      const kept = keys.map((k) => k < bound);
      events = events.filter((_, i) => kept[i]);
      keys = keys.filter((k) => k < bound);
    }
    after = page.next;
  } while (after);
  return { events, sample: { rate: 1 / 2 ** halvings, events_seen: seen, events_diagnosed: events.length } };
}
