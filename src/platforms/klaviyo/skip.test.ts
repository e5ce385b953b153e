import { describe, expect, it } from 'vitest';
import { hashedPurchase } from '../google/testdata/hashed-purchase.js';
import { klaviyoMetricName } from './names.js';
import { klaviyoSkipReason } from './skip.js';

describe('klaviyo event names and skips', () => {
  it('maps standard names by the table and passes custom names through', () => {
    expect(klaviyoMetricName('purchase')).toBe('Placed Order');
    expect(klaviyoMetricName('view_content')).toBe('Viewed Product');
    expect(klaviyoMetricName('page_view')).toBeNull();
    expect(klaviyoMetricName('Review Written')).toBe('Review Written');
  });

  it('skips standard events Klaviyo has no metric for', () => {
    expect(klaviyoSkipReason(hashedPurchase({ event_name: 'page_view' }))).toBe('no_klaviyo_metric');
  });

  it('needs a raw email, phone number or external id', () => {
    expect(klaviyoSkipReason(hashedPurchase())).toBeNull();
    expect(klaviyoSkipReason(hashedPurchase({ contact: { phone_number: '+16505551212' } }))).toBeNull();
    expect(klaviyoSkipReason(hashedPurchase({ contact: { first_name: 'Jane' } }))).toBe('no_profile_identifier');
    expect(klaviyoSkipReason(hashedPurchase({ contact: undefined }))).toBe('no_profile_identifier');
  });
});
