import { describe, expect, it } from 'vitest';
import { hashedEvent } from '../../test/diagnostics/hashed-events.js';
import { SqliteOutboxStore } from '../outbox/sqlite/store.js';
import { PLATFORMS } from '../platforms/registry.js';
import { diagnoseStored } from './stored-events.js';

describe('diagnoseStored', () => {
  it("counts Klaviyo's profile keys from the stored contact field names (the raw contact is sealed elsewhere)", async () => {
    const now = Date.now();
    const store = new SqliteOutboxStore(':memory:', { now: () => now - 1000 });
    await store.migrate();
    await store.ingest(
      [
        hashedEvent({ event_id: '1', event_time: Math.floor(now / 1000) - 60, contact_fields: ['email', 'phone_number'] }),
        hashedEvent({ event_id: '2', event_time: Math.floor(now / 1000) - 60, contact_fields: ['external_id'] }),
        hashedEvent({ event_id: '3', event_time: Math.floor(now / 1000) - 60 }),
      ].map((event) => ({ event, source: 'api' as const, test: false, deliveries: [] })),
    );
    const report = await diagnoseStored(store, { from: now - 60_000, to: now }, { destinations: [PLATFORMS.klaviyo.placeholderSettings] }, now);
    // Event 3 has no profile identifier: Klaviyo would not receive it, so it is not in the denominator.
    expect(report.platforms.klaviyo).toMatchObject({ events: 3, sendable: 2, coverage: { email: 0.5, phone_number: 0.5, external_id: 0.5 } });
    expect(report.sample).toEqual({ rate: 1, events_seen: 3, events_diagnosed: 3 });
    await store.close();
  });
});
