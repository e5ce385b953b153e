import { describe, expect, it } from 'vitest';
import { PLATFORM_NAMES } from '../event/names.js';
import { InputError } from '../errors.js';
import { BehaviourBoard } from './behaviour.js';

describe('BehaviourBoard', () => {
  it('holds one switch per platform, used up after `count` requests', () => {
    const b = new BehaviourBoard();
    b.apply({ platform: 'meta', mode: 'rate_limit', retry_after_s: 3, count: 2 }, 0);
    const sw = b.active('meta', 0)!;
    expect(sw).toMatchObject({ mode: 'rate_limit', retry_after_s: 3, remaining: 2 });
    b.consume(sw);
    expect(b.active('meta', 0)).not.toBeNull();
    b.consume(sw);
    expect(b.active('meta', 0)).toBeNull();
    expect(b.active('tiktok', 0)).toBeNull();
  });

  it('expires a switch at until_ms (or for_ms after it was set)', () => {
    const b = new BehaviourBoard();
    b.apply({ platform: 'pinterest', mode: 'server_error', until_ms: 100 }, 0);
    b.apply({ platform: 'google', mode: 'slow', delay_ms: 5, for_ms: 50 }, 10);
    expect(b.list(59).map((s) => s.platform)).toEqual(['pinterest', 'google']);
    expect(b.list(60).map((s) => s.platform)).toEqual(['pinterest']);
    expect(b.active('pinterest', 100)).toBeNull();
  });

  it('applies to every platform with `all`, and mode ok switches back', () => {
    const b = new BehaviourBoard();
    b.apply({ platform: 'all', mode: 'reject_events', event_ids: ['a'] }, 0);
    expect(b.list(0)).toHaveLength(PLATFORM_NAMES.length);
    expect(b.active('klaviyo', 0)!.event_ids).toEqual(['a']);
    b.apply({ platform: 'klaviyo', mode: 'ok' }, 0);
    expect(b.list(0)).toHaveLength(PLATFORM_NAMES.length - 1);
  });

  it('refuses a bad body with an InputError naming the field', () => {
    const b = new BehaviourBoard();
    const bad = (input: unknown) => {
      try {
        b.apply(input, 0);
      } catch (err) {
        return err instanceof InputError ? err.path : 'other';
      }
      return 'accepted';
    };
    expect(bad({ platform: 'snap', mode: 'ok' })).toBe('platform');
    expect(bad({ platform: 'meta', mode: 'explode' })).toBe('mode');
    expect(bad({ platform: 'meta', mode: 'rate_limit', count: 0 })).toBe('count');
    expect(bad({ platform: 'meta', mode: 'reject_events', event_ids: [1] })).toBe('event_ids');
    expect(bad({ platform: 'meta', mode: 'server_error', status: 700 })).toBe('status');
    expect(bad({ platform: 'meta', mode: 'server_error', status: 500 })).toBe('accepted');
  });
});
