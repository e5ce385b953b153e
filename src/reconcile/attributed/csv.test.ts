import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { readAttributedCsv } from './csv.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/reconcile/${name}`, import.meta.url), 'utf8');

describe('readAttributedCsv', () => {
  it('reads the generic platform,date,conversions,value,currency form', () => {
    const f = readAttributedCsv(fixture('attributed-generic.csv'), 'g.csv');
    expect(f.rows).toHaveLength(6);
    expect(f.rows[1]).toEqual({ platform: 'meta', date: '2025-01-02', conversions: 1, value: 100, currency: 'USD', source: 'g.csv:3' });
  });

  it('recognizes a Pinterest export by its checkout columns', () => {
    const f = readAttributedCsv(fixture('pinterest-export.csv'), 'p.csv');
    expect(f.rows.map((r) => [r.platform, r.date, r.conversions, r.value, r.currency])).toEqual([
      ['pinterest', '2025-01-03', 1, 100, undefined],
      ['pinterest', '2025-01-03', 0, 0, undefined],
      ['pinterest', '2025-01-20', 2, 75.5, undefined],
      ['pinterest', '2025-02-03', 1, 20, undefined],
    ]);
  });

  it('recognizes a TikTok export, takes its currency from the cost column and drops the totals row', () => {
    const f = readAttributedCsv(fixture('tiktok-export.csv'), 't.csv');
    expect(f.skipped_rows).toBe(1);
    expect(f.rows.map((r) => [r.platform, r.date, r.conversions, r.value, r.currency])).toEqual([
      ['tiktok', '2025-01-10', 2, 110, 'USD'],
      ['tiktok', '2025-01-31', 1, 10, 'USD'],
    ]);
  });

  it('recognizes a Meta export: reporting range, empty cells as 0, thousands separators, its attribution setting', () => {
    const f = readAttributedCsv(fixture('meta-export.csv'), 'm.csv');
    expect(f.rows.map((r) => [r.platform, r.date, r.end_date, r.conversions, r.value, r.currency])).toEqual([
      ['meta', '2025-01-02', undefined, 1, 1100, 'EUR'],
      ['meta', '2025-01-03', undefined, 0, 0, 'EUR'],
      ['meta', '2025-01-01', '2025-01-31', 3, 30, 'EUR'],
    ]);
    expect(f.stated_windows).toEqual({ meta: { click_days: 7, view_days: 1 } });
  });

  it('takes the platform from the caller when the file does not say, and refuses to guess', () => {
    const text = 'date,conversions,value\n2025-01-02,3,30\n';
    expect(readAttributedCsv(text, 'x.csv', { platform: 'tiktok' }).rows[0]?.platform).toBe('tiktok');
    expect(() => readAttributedCsv(text, 'x.csv')).toThrow(/cannot tell which platform/);
  });

  it('refuses a platform that contradicts the export', () => {
    expect(() => readAttributedCsv(fixture('tiktok-export.csv'), 't.csv', { platform: 'meta' })).toThrow(/looks like a tiktok export/);
  });

  it('names the file, line and column of a bad cell', () => {
    const text = 'platform,date,conversions,value\nmeta,2025-01-02,3,30\nmyspace,2025-01-02,1,1\n';
    try {
      readAttributedCsv(text, 'x.csv');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).path).toBe('x.csv:3.platform');
    }
    expect(() => readAttributedCsv('platform,date,conversions,value\nmeta,02/01/2025,1,1\n', 'y.csv')).toThrow(/y\.csv:2\.date/);
  });

  it('accepts platform aliases and slash dates', () => {
    const f = readAttributedCsv('Platform,Date,Conversions,Value\nFacebook,2025/01/02 00:00:00,1,2\n', 'z.csv');
    expect(f.rows[0]).toMatchObject({ platform: 'meta', date: '2025-01-02' });
  });
});
