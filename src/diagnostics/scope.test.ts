import { describe, expect, it } from 'vitest';
import { PLATFORM_NAMES } from '../event/names.js';
import { PLATFORMS } from '../platforms/registry.js';
import { scopeFromDestinations } from './scope.js';

describe('scopeFromDestinations', () => {
  it('measures every platform with placeholder settings when nothing is configured', () => {
    expect(scopeFromDestinations(undefined).destinations.map((d) => d.platform)).toEqual([...PLATFORM_NAMES]);
    expect(scopeFromDestinations([]).destinations[0]?.settings).toBe(PLATFORMS.meta.placeholderSettings);
  });

  it('takes the first configured destination of each platform', () => {
    const first = { ...PLATFORMS.meta.placeholderSettings, id: 'meta-a' };
    const second = { ...PLATFORMS.meta.placeholderSettings, id: 'meta-b' };
    const tiktok = PLATFORMS.tiktok.placeholderSettings;
    expect(scopeFromDestinations([first, tiktok, second]).destinations.map((d) => d.settings.id)).toEqual(['meta-a', tiktok.id]);
  });
});
