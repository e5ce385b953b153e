import { describe, expect, it } from 'vitest';
import { EVENT_NAME_TABLE, STANDARD_EVENT_NAMES, isStandardEventName } from './names.js';

describe('event names', () => {
  it('knows the standard names only', () => {
    for (const name of STANDARD_EVENT_NAMES) expect(isStandardEventName(name)).toBe(true);
    expect(isStandardEventName('Purchase')).toBe(false);
    expect(isStandardEventName('wishlist_shared')).toBe(false);
  });
  it('maps purchase to Meta Purchase', () => {
    expect(EVENT_NAME_TABLE.meta.purchase).toBe('Purchase');
    expect(EVENT_NAME_TABLE.tiktok.purchase).toBe('Purchase');
    expect(EVENT_NAME_TABLE.pinterest.purchase).toBe('checkout');
    expect(EVENT_NAME_TABLE.klaviyo.page_view).toBeNull();
  });
});
