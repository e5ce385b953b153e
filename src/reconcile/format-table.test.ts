import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAttributedCsv } from './attributed/csv.js';
import { alignColumns, formatReport } from './format-table.js';
import { readShopifyOrdersCsv } from './orders/shopify-csv.js';
import { buildReport } from './report.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/reconcile/${name}`, import.meta.url), 'utf8');

describe('formatReport', () => {
  const report = buildReport({
    window: { from: '2025-01-01', to: '2025-01-31', as_of: '2025-02-05' },
    orders: readShopifyOrdersCsv(fixture('shopify-orders.csv'), 'o.csv'),
    orders_source: 'o.csv',
    attributed: [...readAttributedCsv(fixture('attributed-generic.csv'), 'g.csv').rows, ...readAttributedCsv(fixture('pinterest-export.csv'), 'p.csv').rows],
    delivery: [{ destination_id: 'meta', platform: 'meta', event_id: 'order_5001', event_time: Date.parse('2025-01-02T15:00:00Z'), status: 'rejected', attempts: 1, error_code: '100', error_message: 'Invalid parameter' }],
  });
  const text = formatReport(report);

  it('shows each platform on its own line with its window, share and immature days, and no total line', () => {
    expect(text).toMatch(/meta\s+7d_click,1d_view\s+4\s+375\.00 USD\s+57\.1%\s+92\.6%\s+2 from 2025-01-30\s+50\.0% \(3\/6\)/);
    expect(text).toMatch(/pinterest\s+30d_click,30d_engagement,1d_view\s+3\s+175\.50 USD\s+42\.9%\s+43\.3%\s+25 from 2025-01-07/);
    expect(text).not.toMatch(/^\s*total\b/im);
    expect(text).toMatch(/Note: No total across platforms/);
  });

  it('shows the currencies apart and the delivery side with the orders never accepted', () => {
    expect(text).toMatch(/in EUR\s+2 orders · revenue 100\.50 EUR/);
    expect(text).toMatch(/never accepted by meta \(7\):/);
    expect(text).toMatch(/#1001\s+rejected\s+100: Invalid parameter/);
  });

  it('accounts for every order read: kept + each reason left out + outside the window', () => {
    expect(text).toContain('read          13 orders = 7 kept + 4 left out (1 test + 1 cancelled + 0 unknown_status + 1 unpaid + 1 refunded) + 2 outside the window');
    expect(text).toMatch(/left out\s+1 test · 1 cancelled · 0 unknown status · 1 unpaid · 1 fully refunded/);
  });

  it('aligns columns', () => {
    expect(alignColumns([['a', 'bb', 'c'], ['ccc', 'd', 'e']])).toEqual(['a    bb  c', 'ccc  d   e']);
  });
});
