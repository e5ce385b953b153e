import { describe, expect, it } from 'vitest';
import { platformFor } from '../registry.js';
import { klaviyo } from './index.js';

describe('klaviyo platform', () => {
  it('is the registry entry for "klaviyo", one event per request, no test mode', () => {
    expect(platformFor('klaviyo')).toBe(klaviyo);
    expect(klaviyo.maxBatch).toBe(1);
    expect(klaviyo.isTestMode({ ...klaviyo.placeholderSettings, test: true })).toBe(false);
    expect(klaviyo.secretSettings).toEqual(['api_key']);
  });

  it('placeholder settings pass its own schema', () => {
    expect(klaviyo.settingsSchema.safeParse(klaviyo.placeholderSettings).success).toBe(true);
  });
});
