import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCanonicalEvent } from '../../event/parse.js';
import { openStore } from '../../outbox/open.js';
import { enrichOrderEvent } from './order-enrichment.js';

const dir = mkdtempSync(join(tmpdir(), 'mk-enrich-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('enrichOrderEvent (real SQLite store)', () => {
  it('finds the context stored under the checkout token and fills the order; counts no_context otherwise', async () => {
    const store = await openStore(`sqlite:${join(dir, 'e.db')}`);
    await store.migrate();
    try {
      await store.saveBrowserContext!(['checkout:ck9', 'fbp:fb.1.1.2'], { fbp: 'fb.1.1.2', client_user_agent: 'Browser UA', consent: { marketing: true, limited_data_use: false } });
      const event = parseCanonicalEvent({ event_name: 'purchase', event_time: 1_764_326_400, commerce: { order_id: '9' } });
      const hit = await enrichOrderEvent(store, { id: 9, checkout_token: 'ck9' } as never, event, Date.now());
      expect(hit.outcome).toBe('enriched');
      expect(hit.event.user).toEqual({ fbp: 'fb.1.1.2', client_user_agent: 'Browser UA' });
      const miss = await enrichOrderEvent(store, { id: 10, checkout_token: 'other' } as never, event, Date.now());
      expect(miss.outcome).toBe('no_context');
      expect(miss.event).toBe(event);
      expect((await enrichOrderEvent({}, { id: 9 }, event, Date.now())).outcome).toBe('unsupported');
    } finally {
      await store.close();
    }
  });
});
