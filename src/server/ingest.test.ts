import { afterEach, describe, expect, it } from 'vitest';
import { demoConfig } from '../config/demo.js';
import { planDeliveries } from '../delivery/plan.js';
import { parseCanonicalEvent } from '../event/parse.js';
import { hashOnce } from '../identity/hash-once.js';
import { SqliteOutboxStore } from '../outbox/sqlite/store.js';
import type { GatewayContext } from './context.js';
import { ingestEvents } from './ingest.js';
import { createMetrics } from './metrics.js';

// Which delivery loops an ingest wakes: each wake makes a loop claim, a write operation on the outbox.

const stores: SqliteOutboxStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function pageView(eventId: string) {
  return parseCanonicalEvent({
    event_id: eventId,
    event_name: 'page_view',
    event_time: Math.floor(Date.now() / 1000) - 60,
    action_source: 'website',
    event_source_url: 'https://shop.example/products/socks',
    user: { client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)', fbp: 'fb.1.1700000000000.123' },
  });
}

describe('ingestEvents', () => {
  it('wakes the loops of the destinations given something to send, and none for a copy that created nothing', async () => {
    const config = demoConfig({ simulatorUrl: 'http://127.0.0.1:9' }, { ingestKey: 'k'.repeat(32), adminToken: 't'.repeat(32), shopifySecret: 's'.repeat(32) });
    const store = new SqliteOutboxStore(':memory:');
    await store.migrate();
    stores.push(store);
    const woken: (string | undefined)[] = [];
    const ctx = {
      config,
      store,
      worker: { wake: (destinationId?: string) => void woken.push(destinationId), stop: async () => {} },
      metrics: createMetrics({ defaultMetrics: false }),
    } as unknown as GatewayContext;

    const event = pageView('pv_1');
    const planned = planDeliveries(hashOnce(event, { defaultCountry: config.default_country, serverIps: config.server_ips }), config.destinations, {
      test: false,
      source: 'api',
      orderWebhookSendsPurchases: true,
    });
    const pending = planned.filter((d) => d.status === 'pending').map((d) => d.destination_id).sort();
    // The plan skips some destinations for a page view (no conversion to send there): they must not be woken.
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.length).toBeLessThan(config.destinations.length);

    await ingestEvents(ctx, [event], { source: 'api' });
    expect([...woken].sort()).toEqual(pending);

    woken.length = 0;
    await ingestEvents(ctx, [pageView('pv_1')], { source: 'api' });
    expect(woken).toEqual([]);
  });
});
