import { describe, expect, it } from 'vitest';
import type { DeliveryOutcome } from '../outbox/types.js';
import { DeliveryOutcomeFold, paidEventIdsOf, summarizeDelivery } from './delivery.js';
import type { OrderOfRecord } from './types.js';

const t = (iso: string) => Date.parse(iso);
const order = (id: string): OrderOfRecord => ({ order_id: id, name: `#${id}`, paid_at: t('2025-01-10T00:00:00Z'), total: 10, currency: 'USD', test: false, cancelled: false, refunded_amount: 0, fully_refunded: false });
const row = (o: Partial<DeliveryOutcome> & Pick<DeliveryOutcome, 'event_id' | 'status'>): DeliveryOutcome => ({
  destination_id: 'meta',
  platform: 'meta',
  event_time: t('2025-01-10T00:00:00Z'),
  attempts: 1,
  ...o,
});

describe('summarizeDelivery', () => {
  const kept = [order('1'), order('2')];
  const range = { from: t('2025-01-01T00:00:00Z'), to: t('2025-02-01T00:00:00Z') };

  it('takes the best status of an order across destinations of one platform', () => {
    const d = summarizeDelivery({
      outcomes: [
        row({ event_id: 'order_1', status: 'rejected', destination_id: 'meta-eu', error_code: '100' }),
        row({ event_id: 'order_1', status: 'delivered', destination_id: 'meta-us' }),
        row({ event_id: 'order_2', status: 'dead', destination_id: 'meta-us' }),
      ],
      kept,
      paidInWindow: new Map(kept.map((o) => [o.order_id, o])),
      range,
    });
    expect(d.meta).toMatchObject({ destinations: ['meta-eu', 'meta-us'], sent: 2, accepted: 1, dead: 1, rejected: 0, accepted_share: 0.5, never_accepted_total: 1 });
  });

  it('ignores deliveries of other days unless they belong to an order of the window; lists configured platforms with none', () => {
    const d = summarizeDelivery({
      outcomes: [
        row({ event_id: 'order_9', status: 'delivered', event_time: t('2024-12-20T00:00:00Z') }),
        // The event's time drifted a little from the paid time, but it is this window's order.
        row({ event_id: 'order_2', status: 'delivered', event_time: t('2024-12-31T23:59:00Z') }),
        row({ event_id: 'api_evt', status: 'delivered' }),
      ],
      kept,
      paidInWindow: new Map(kept.map((o) => [o.order_id, o])),
      range,
      platforms: ['tiktok'],
    });
    expect(d.meta).toMatchObject({ sent: 2, accepted: 2, accepted_not_of_record: 1, not_received: 1, accepted_share: 0.5 });
    expect(d.tiktok).toMatchObject({ sent: 0, not_received: 2, accepted_share: 0, never_accepted_total: 2 });
  });

  it('summarizes a fold fed one outcome at a time as it summarizes the outcomes read at once', () => {
    const outcomes = [
      row({ event_id: 'order_1', status: 'rejected', destination_id: 'meta-eu', error_code: '100', error_message: 'bad' }),
      row({ event_id: 'order_2', status: 'pending', attempts: 2, error_code: 'http_503' }),
      row({ event_id: 'order_1', status: 'delivered', destination_id: 'meta-us' }),
      row({ event_id: 'order_2', status: 'skipped', platform: 'tiktok', destination_id: 'tiktok', skip_reason: 'consent' }),
      row({ event_id: 'order_9', status: 'delivered', event_time: t('2024-12-20T00:00:00Z') }),
      row({ event_id: 'order_2', status: 'dead', event_time: t('2024-12-31T23:59:00Z'), destination_id: 'meta-old' }),
      row({ event_id: 'api_evt', status: 'delivered', destination_id: 'meta-us' }),
    ];
    const paidInWindow = new Map(kept.map((o) => [o.order_id, o]));
    const fold = new DeliveryOutcomeFold(range, paidEventIdsOf(paidInWindow), ['pinterest']);
    for (const o of outcomes) fold.add(o);
    const fromFold = summarizeDelivery({ outcomes: fold, kept, paidInWindow, range });
    expect(fromFold).toEqual(summarizeDelivery({ outcomes, kept, paidInWindow, range, platforms: ['pinterest'] }));
    expect(fromFold.meta).toMatchObject({ destinations: ['meta', 'meta-eu', 'meta-old', 'meta-us'], accepted: 2, pending: 1, accepted_not_of_record: 1 });
    expect(fromFold.meta?.never_accepted).toEqual([{ order_id: '2', name: '#2', destination_id: 'meta', status: 'pending', reason: 'retrying after http_503', error_code: 'http_503' }]);
    expect(fromFold.pinterest).toMatchObject({ sent: 0, not_received: 2 });
  });

  it('caps the list of never-accepted orders but counts them all', () => {
    const many = Array.from({ length: 5 }, (_, i) => order(String(i)));
    const d = summarizeDelivery({ outcomes: [], kept: many, paidInWindow: new Map(), range, platforms: ['meta'], limit: 2 });
    expect(d.meta?.never_accepted).toHaveLength(2);
    expect(d.meta?.never_accepted_total).toBe(5);
  });
});
