import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors.js';
import { DEFAULT_WINDOWS, formatWindow, immatureDays, parseMetaAttributionSetting, parseWindowOverride } from './windows.js';

describe('attribution windows', () => {
  it('has the documented defaults', () => {
    expect(formatWindow(DEFAULT_WINDOWS.meta!)).toBe('7d_click,1d_view');
    expect(formatWindow(DEFAULT_WINDOWS.tiktok!)).toBe('7d_click,1d_view');
    expect(formatWindow(DEFAULT_WINDOWS.pinterest!)).toBe('30d_click,30d_engagement,1d_view');
  });

  it('parses an override', () => {
    expect(parseWindowOverride('meta=28d_click,1d_view')).toEqual(['meta', { click_days: 28, view_days: 1 }]);
    expect(parseWindowOverride('Pinterest=7d_click,7d_engagement')).toEqual(['pinterest', { click_days: 7, engagement_days: 7 }]);
  });

  it.each(['meta', 'snap=7d_click', 'meta=1d_view', 'meta=7 days'])('refuses %s', (spec) => {
    expect(() => parseWindowOverride(spec)).toThrow(InputError);
  });

  it("reads Meta's Attribution setting column", () => {
    expect(parseMetaAttributionSetting('7-day click or 1-day view')).toEqual({ click_days: 7, view_days: 1 });
    expect(parseMetaAttributionSetting('7-day click, 1-day view or 1-day engaged-view')).toEqual({ click_days: 7, view_days: 1 });
    expect(parseMetaAttributionSetting('1-day click')).toEqual({ click_days: 1 });
    expect(parseMetaAttributionSetting('Multiple attribution settings')).toBeUndefined();
  });
});

describe('immatureDays at a fixed as-of', () => {
  const window = { from: '2025-01-01', to: '2025-01-31', as_of: '2025-02-05' };
  it('7-day click: the days after Jan 29 (d + 7 > Feb 5)', () => {
    expect(immatureDays(window, 7)).toEqual(['2025-01-30', '2025-01-31']);
  });
  it('30-day click: the days after Jan 6 (d + 30 > Feb 5), 25 of them', () => {
    const days = immatureDays(window, 30);
    expect(days).toHaveLength(25);
    expect(days[0]).toBe('2025-01-07');
    expect(days.at(-1)).toBe('2025-01-31');
  });
  it('none once every click window has closed', () => {
    expect(immatureDays({ ...window, as_of: '2025-03-02' }, 30)).toEqual([]);
    expect(immatureDays({ ...window, as_of: '2025-03-01' }, 30)).toEqual(['2025-01-31']);
  });
});
