import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { readAttributedCsv } from './attributed/csv.js';
import { readShopifyOrdersCsv } from './orders/shopify-csv.js';
import { buildReport, NO_TOTAL_NOTE } from './report.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/reconcile/${name}`, import.meta.url), 'utf8');

describe('buildReport over the fixtures: January 2025 as of 5 February', () => {
  const orders = readShopifyOrdersCsv(fixture('shopify-orders.csv'), 'shopify-orders.csv');
  const attributed = [
    ...readAttributedCsv(fixture('attributed-generic.csv'), 'g.csv').rows,
    ...readAttributedCsv(fixture('pinterest-export.csv'), 'p.csv').rows,
    ...readAttributedCsv(fixture('tiktok-export.csv'), 't.csv').rows,
  ];
  const window = { from: '2025-01-01', to: '2025-01-31', as_of: '2025-02-05' };
  const report = buildReport({ window, orders, orders_source: 'shopify-orders.csv', attributed });

  // Orders of record: 7 kept (5 USD = 405.00; 2 EUR = 100.50). Mature days for a 7-day click window end Jan 29
  // (Jan 30 + 7 > Feb 5); USD orders on Jan 1–29: #1006 30, #1001 100, #1002 50, #1013 25 = 205.00; all orders on
  // Jan 1–29: those 4 + #1009 + #1010 = 6. For a 30-day window mature days end Jan 6: #1006, #1001, #1002 = 3
  // orders, 180.00 USD.

  it('meta: rows of Dec 31 and Feb 1 left out; 4 conversions, 375.00 USD', () => {
    // share 4/7 = 0.5714; value_share 375/405 = 0.9259; mature (Jan 2, 5, 26): 3 conv, 175.00 → 3/6 = 0.5,
    // 175/205 = 0.8537; immature (Jan 30): 1 conv, 200.00 against 1 order (#1011).
    expect(report.platforms.meta).toMatchObject({
      attributed_conversions: 4,
      attributed_value: 375,
      currency: 'USD',
      share: 0.5714,
      value_share: 0.9259,
      attribution_window: '7d_click,1d_view',
      attribution_window_source: 'default',
      click_window_days: 7,
      immature_days: 2,
      immature_from: '2025-01-30',
      mature: { days: 29, orders_of_record: 6, attributed_conversions: 3, attributed_value: 175, share: 0.5, value_share: 0.8537 },
      immature: { days: 2, orders_of_record: 1, attributed_conversions: 1, attributed_value: 200, share: 1, value_share: 1 },
      rows: 4,
      rows_outside_window: 2,
    });
  });

  it('pinterest: a 30-day click window leaves 25 days immature at the same as-of', () => {
    // in window: Jan 3 (1, 100.00), Jan 3 (0), Jan 20 (2, 75.50) → 3 conv, 175.50; share 3/7 = 0.4286;
    // value_share 175.5/405 = 0.4333; mature (Jan 1–6): 1 conv, 100.00 of 3 orders, 180.00 → 0.3333, 0.5556.
    expect(report.platforms.pinterest).toMatchObject({
      attributed_conversions: 3,
      attributed_value: 175.5,
      currency: 'USD',
      share: 0.4286,
      value_share: 0.4333,
      attribution_window: '30d_click,30d_engagement,1d_view',
      immature_days: 25,
      immature_from: '2025-01-07',
      mature: { days: 6, orders_of_record: 3, attributed_conversions: 1, attributed_value: 100, share: 0.3333, value_share: 0.5556 },
      rows_outside_window: 1,
    });
    expect(report.platforms.pinterest?.notes.join(' ')).toMatch(/taken to be in USD/);
  });

  it('tiktok: 3 conversions, 120.00 USD (currency from its cost column)', () => {
    // share 3/7 = 0.4286; value_share 120/405 = 0.2963; mature (Jan 10): 2 conv, 110 → 2/6 = 0.3333, 110/205 = 0.5366.
    expect(report.platforms.tiktok).toMatchObject({
      attributed_conversions: 3,
      attributed_value: 120,
      share: 0.4286,
      value_share: 0.2963,
      immature_days: 2,
      mature: { attributed_conversions: 2, share: 0.3333, value_share: 0.5366 },
    });
  });

  it('never adds platforms up, and says why', () => {
    expect(report.note).toBe(NO_TOTAL_NOTE);
    expect(JSON.stringify(report)).not.toMatch(/"total_attributed|"all_platforms/);
    // 4 + 3 + 3 = 10 attributed conversions for 7 orders: exactly why a sum would be wrong.
    expect(report.notes.join(' ')).toMatch(/2 currencies \(EUR, USD\)/);
  });

  it('reports value_share as null with a note when the value is in a currency no order is in', () => {
    const r = buildReport({
      window,
      orders,
      orders_source: 'x',
      attributed: [{ platform: 'meta', date: '2025-01-02', conversions: 2, value: 50, currency: 'GBP', source: 'a' }],
    });
    expect(r.platforms.meta).toMatchObject({ attributed_value: 50, currency: 'GBP', share: 0.2857, value_share: null });
    expect(r.platforms.meta?.mature.value_share).toBeNull();
    expect(r.platforms.meta?.notes.join(' ')).toMatch(/No orders of record are in GBP/);
  });

  it('compares EUR values with the EUR orders only', () => {
    const r = buildReport({
      window,
      orders,
      orders_source: 'x',
      attributed: [{ platform: 'meta', date: '2025-01-15', conversions: 1, value: 70, currency: 'EUR', source: 'a' }],
    });
    // 70 / 100.50 = 0.6965
    expect(r.platforms.meta?.value_share).toBe(0.6965);
  });

  it('keeps mixed currencies apart within a platform', () => {
    const r = buildReport({
      window,
      orders,
      orders_source: 'x',
      attributed: [
        { platform: 'meta', date: '2025-01-15', conversions: 1, value: 70, currency: 'EUR', source: 'a' },
        { platform: 'meta', date: '2025-01-16', conversions: 1, value: 20, currency: 'USD', source: 'b' },
      ],
    });
    expect(r.platforms.meta).toMatchObject({ attributed_conversions: 2, attributed_value: null, value_share: null, value_by_currency: { EUR: 70, USD: 20 } });
  });

  it('uses an override window and the window an export states, in that order', () => {
    const meta = readAttributedCsv(fixture('meta-export.csv'), 'm.csv');
    const stated = buildReport({ window, orders, orders_source: 'x', attributed: meta.rows, stated_windows: meta.stated_windows });
    expect(stated.platforms.meta).toMatchObject({ attribution_window: '7d_click,1d_view', attribution_window_source: 'export' });
    // The Jan 1–31 range row lies inside the window and is immature (it ends on an immature day).
    expect(stated.platforms.meta?.immature.attributed_conversions).toBe(3);
    const over = buildReport({
      window,
      orders,
      orders_source: 'x',
      attributed: meta.rows,
      stated_windows: meta.stated_windows,
      windows: { meta: { click_days: 28, view_days: 1 } },
    });
    // d + 28 > Feb 5 → from Jan 9: 23 days.
    expect(over.platforms.meta).toMatchObject({ attribution_window: '28d_click,1d_view', attribution_window_source: 'override', immature_days: 23, immature_from: '2025-01-09' });
    expect(over.platforms.meta?.notes.join(' ')).toMatch(/export states 7d_click,1d_view/);
  });

  it('leaves out a range row that crosses the window, saying so', () => {
    const r = buildReport({
      window: { from: '2025-01-10', to: '2025-01-31', as_of: '2025-03-31' },
      orders,
      orders_source: 'x',
      attributed: [{ platform: 'meta', date: '2025-01-01', end_date: '2025-01-31', conversions: 3, value: 30, source: 'a' }],
    });
    expect(r.platforms.meta).toMatchObject({ attributed_conversions: 0, rows_outside_window: 1 });
    expect(r.platforms.meta?.notes.join(' ')).toMatch(/crosses the window/);
  });

  it('refuses a platform without a default window unless one is given, and a window that ends before it starts', () => {
    const rows = [{ platform: 'klaviyo' as const, date: '2025-01-02', conversions: 1, value: 1, source: 'a' }];
    expect(() => buildReport({ window, orders, orders_source: 'x', attributed: rows })).toThrow(InputError);
    expect(buildReport({ window, orders, orders_source: 'x', attributed: rows, windows: { klaviyo: { click_days: 10 } } }).platforms.klaviyo?.immature_days).toBe(5); // d + 10 > Feb 5: Jan 27–31
    expect(() => buildReport({ window: { ...window, from: '2025-02-01' }, orders, orders_source: 'x', attributed: [] })).toThrow(/--from/);
  });
});
