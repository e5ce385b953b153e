import { describe, expect, it } from 'vitest';
import { PLATFORM_NAMES } from '../event/names.js';
import { READINESS_WEIGHTS, readinessScore } from './readiness.js';
import { WIRE_KEYS } from './wire-keys.js';

describe('readiness weights', () => {
  it.each(PLATFORM_NAMES)('%s: one weight per wire key, adding up to 10', (platform) => {
    expect(Object.keys(READINESS_WEIGHTS[platform]).sort()).toEqual([...WIRE_KEYS[platform]].sort());
    const total = Object.values(READINESS_WEIGHTS[platform]).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(10, 9);
  });
});

describe('readinessScore', () => {
  const full = (platform: (typeof PLATFORM_NAMES)[number], share: number) =>
    Object.fromEntries(WIRE_KEYS[platform].map((k) => [k, share]));

  it('is 10 when every key is always present and 0 when none is', () => {
    expect(readinessScore('meta', full('meta', 1))).toBe(10);
    expect(readinessScore('meta', full('meta', 0))).toBe(0);
  });

  it('weighs each key by its coverage', () => {
    // em 3 × 0.75 + client_ip_address 1 × 0.5 = 2.75 → 2.8
    expect(readinessScore('meta', { ...full('meta', 0), em: 0.75, client_ip_address: 0.5 })).toBe(2.8);
    expect(readinessScore('klaviyo', { email: 1, phone_number: 0.5, external_id: 0 })).toBe(6.5);
  });

  it('is null when nothing was sendable', () => {
    expect(readinessScore('tiktok', full('tiktok', null as unknown as number))).toBeNull();
  });
});
