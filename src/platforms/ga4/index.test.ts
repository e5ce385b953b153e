import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashedEventArb } from '../../../test/fixtures/platforms/arbitraries.js';
import { loadRequestContract } from '../contract/request-contract.js';
import { PLATFORMS } from '../registry.js';
import { ga4 } from './index.js';

const contract = loadRequestContract(new URL('./contract/mp-collect.schema.json', import.meta.url));

describe('ga4 platform', () => {
  it('is registered, with secrets that are real setting names', () => {
    expect(PLATFORMS.ga4).toBe(ga4);
    const parsed = ga4.settingsSchema.parse(ga4.placeholderSettings) as Record<string, unknown>;
    for (const key of ga4.secretSettings) expect(parsed).toHaveProperty(key);
  });

  it('builds a request that keeps to the mp-collect contract for any sendable event', () => {
    fc.assert(
      fc.property(hashedEventArb, (event) => {
        if (ga4.skipReason(event, ga4.placeholderSettings) !== null) return;
        const body = ga4.buildRequest([event], ga4.placeholderSettings, { now: 1_800_000_000 }).body;
        expect(contract.check(body)).toEqual([]);
        expect(JSON.parse(JSON.stringify(body))).toEqual(body);
      }),
      { numRuns: 300 },
    );
  });
});
