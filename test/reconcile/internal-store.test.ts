import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/outbox/open.js';
import type { OutboxStore } from '../../src/outbox/types.js';
import { reconcile } from '../../src/reconcile/run.js';
import type { ReconcileReport } from '../../src/reconcile/report.js';
import { seedMarch } from './store-helpers.js';

// The known answers of the March fixture are worked out beside seedMarch in ./store-helpers.ts.
describe('reconcile --orders internal against a real SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mk-reconcile-'));
  let store: OutboxStore;
  let report: ReconcileReport;
  beforeAll(async () => {
    store = await openStore(`sqlite:${join(dir, 'matchkey.db')}`);
    await seedMarch(store);
    // The same paid webhook again is absorbed by the store, and changes nothing here.
    await store.recordOrder({ order_id: '101', topic: 'orders/paid', occurred_at: Date.parse('2025-03-02T10:00:00Z'), total: 100, currency: 'USD' }, { webhook_id: 'paid-101' });
    report = await reconcile({
      window: { from: '2025-03-01', to: '2025-03-31', as_of: '2025-04-15' },
      orders: 'internal',
      attributed: [{ name: 'a.csv', text: 'platform,date,conversions,value\nmeta,2025-03-02,2,160\npinterest,2025-03-20,1,25\n' }],
      store,
    });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the orders of record from the paid, refund and cancel webhooks it stored', () => {
    expect(report.orders_of_record).toMatchObject({
      source: 'internal',
      read: 9,
      count: 5,
      revenue: 310,
      currency: 'USD',
      excluded: { test: 1, cancelled: 1, unknown_status: 0, unpaid: 0, refunded: 1 },
      refunded_amount: 20,
      partially_refunded: 1,
      outside_window: 1,
    });
  });

  it('compares what each platform attributed (2/5 for meta; 15 immature days for pinterest)', () => {
    expect(report.platforms.meta).toMatchObject({ attributed_conversions: 2, share: 0.4, value_share: 0.5161, immature_days: 0 });
    // d + 30 > Apr 15 → Mar 17–31.
    expect(report.platforms.pinterest).toMatchObject({ immature_days: 15, immature_from: '2025-03-17' });
  });

  it('reports the delivery side per platform from the outbox', () => {
    expect(report.delivery_available).toBe(true);
    expect(report.delivery.meta).toMatchObject({
      destinations: ['meta'],
      sent: 5,
      accepted: 3,
      rejected: 0,
      dead: 1,
      pending: 1,
      skipped: 2,
      skipped_reasons: { test: 1, consent: 1 },
      not_received: 1,
      accepted_not_of_record: 1,
      accepted_share: 0.4,
      never_accepted_total: 3,
    });
    // In paid order: 106 (Mar 12), 109 (Mar 15), 107 (Mar 20).
    expect(report.delivery.meta?.never_accepted).toEqual([
      { order_id: '106', name: '#106', destination_id: 'meta', status: 'skipped', reason: 'skipped: consent' },
      expect.objectContaining({ order_id: '109', status: 'not_received' }),
      { order_id: '107', name: '#107', destination_id: 'meta', status: 'dead', reason: 'timeout: no answer within 10000 ms', error_code: 'timeout' },
    ]);
    expect(report.delivery.tiktok).toMatchObject({ sent: 3, accepted: 1, rejected: 1, dead: 0, pending: 1, skipped: 2, not_received: 1, accepted_share: 0.2, never_accepted_total: 4 });
    expect(report.delivery.tiktok?.never_accepted.find((n) => n.order_id === '101')).toMatchObject({
      status: 'rejected',
      reason: '40002: Invalid value for field: event_time',
    });
    expect(report.delivery.tiktok?.never_accepted.find((n) => n.order_id === '107')?.reason).toBe('retrying after http_503');
  });
});
