import { describe, expect, it } from 'vitest';
import { originMatcher } from './origin.js';

describe('originMatcher', () => {
  it('matches configured origins exactly, case-insensitively, without trailing slash', () => {
    const allowed = originMatcher(['https://Shop.example/', 'http://shop.localhost:3000']);
    expect(allowed('https://shop.example')).toBe(true);
    expect(allowed('http://shop.localhost:3000')).toBe(true);
    expect(allowed('https://shop.example.evil.com')).toBe(false);
    expect(allowed('http://shop.example')).toBe(false);
    expect(allowed(undefined)).toBe(false);
    expect(allowed('null')).toBe(false);
  });
  it('allows the opaque origin of a sandboxed iframe (Shopify custom pixels) only when "null" is listed', () => {
    expect(originMatcher(['*'])('null')).toBe(false);
    expect(originMatcher(['https://shop.example', 'null'])('null')).toBe(true);
  });
  it('allows any real origin with *', () => {
    expect(originMatcher(['*'])('https://any.example')).toBe(true);
    expect(originMatcher(['*'])(undefined)).toBe(false);
  });
});
