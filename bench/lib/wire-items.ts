import { randomBytes } from 'node:crypto';
import { planDeliveries } from '../../src/delivery/plan.js';
import { parseCanonicalEvent } from '../../src/event/parse.js';
import { hashOnce } from '../../src/identity/hash-once.js';
import { sealContact } from '../../src/outbox/seal.js';
import { encodeStoredEvent } from '../../src/outbox/stored-event.js';
import type { WireIngestItem } from '../../src/outbox/sqlite/writer.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import type { CommonSettings } from '../../src/platforms/types.js';
import { purchaseEvent, seededRandom } from '../fixtures.js';
import { ALL_PLATFORMS, destinations, type DestinationName } from './gateway.js';

/**
 * What the SQLite writer micro benches (bench/micro/store-footprint.ts, writer-group.ts) write: realistic purchases
 * (bench/fixtures.ts) hashed and planned for the five destinations of the ingest benchmark, Klaviyo's row sealed,
 * as the gateway hands them to its writer. Order ids are `<orderPrefix><n>`.
 */
export function plannedWireItems(count: number, opts: { seed: number; orderPrefix: string }): WireIngestItem[] {
  const key = randomBytes(32);
  const settings = destinations('http://127.0.0.1:1', ALL_PLATFORMS).map((d) => PLATFORMS[d.platform as DestinationName].settingsSchema.parse(d) as CommonSettings);
  const rnd = seededRandom(opts.seed);
  const nowS = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const raw = purchaseEvent(i, rnd, nowS) as { commerce: { order_id: string } };
    raw.commerce.order_id = `${opts.orderPrefix}${i}`;
    const hashed = hashOnce(parseCanonicalEvent(raw), { includeContact: true });
    const deliveries = planDeliveries(hashed, settings, { test: false, source: 'api' });
    const sealed = deliveries.map((d) => (d.status === 'pending' && d.needs_contact && hashed.contact ? sealContact(hashed.contact, key, hashed.event_id) : null));
    return { event_id: hashed.event_id, event_name: hashed.event_name, source: 'api', test: false, ...encodeStoredEvent(hashed), deliveries, sealed };
  });
}
