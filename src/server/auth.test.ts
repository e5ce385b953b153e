import { describe, expect, it } from 'vitest';
import { bearerToken, tokenMatcher } from './auth.js';

describe('bearer auth', () => {
  it('reads the token of a Bearer header, case-insensitively, and nothing else', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('accepts any configured token and refuses others, prefixes and extensions included', () => {
    const ok = tokenMatcher(['first-key-0123456789', 'second-key-0123456789']);
    expect(ok('first-key-0123456789')).toBe(true);
    expect(ok('second-key-0123456789')).toBe(true);
    expect(ok('first-key-012345678')).toBe(false);
    expect(ok('first-key-0123456789x')).toBe(false);
    expect(ok(undefined)).toBe(false);
  });

  it('refuses everything when no token is configured', () => {
    const ok = tokenMatcher([]);
    expect(ok('')).toBe(false);
    expect(ok('anything')).toBe(false);
  });
});
