import { describe, expect, it } from 'vitest';
import { deriveFbc, isValidFbclid, parseMetaClickCookie } from './click-ids.js';

describe('parseMetaClickCookie', () => {
  it.each([
    ['fb.1.1764326000000.AbCdEf', 'fbc'],
    ['fb.2.1764326000000.IwAR2F4-dbP0l7Mn1_IawQQ', 'fbc'],
    ['fb.1.1764326000000.AbCdEf.AQQCAQIA', 'fbc'], // Meta param builder appendix (PLATFORMS.md §1.4)
    ['fb.1.1764000000000.1234567890', 'fbp'],
    ['fb.1.1764000000000.1234567890.AQQCAQIA', 'fbp'],
  ] as const)('accepts %s as %s', (raw, kind) => {
    expect(parseMetaClickCookie(raw, kind)).toEqual({ ok: true, value: raw, creationMs: Number(raw.split('.')[2]) });
  });
  it.each([
    ['fb.1.1764326000000.', 'fbc'], // cookie without fbclid (USER-NEEDS item 8)
    ['fb.1.1764326000000', 'fbc'],
    ['fb.1.1764326000.AbCdEf', 'fbc'], // seconds, not ms
    ['fc.1.1764326000000.AbCdEf', 'fbc'],
    ['fb.12.1764326000000.AbCdEf', 'fbc'],
    ['fb.1.1764326000000.Ab Cd', 'fbc'],
    ['fb.1.1764326000000.AbCdEf.AQ.QC', 'fbc'],
    ['fb.1.1764326000000.AbCdEf.', 'fbc'],
    ['fb.1.1764000000000.abc', 'fbp'],
    ['AbCdEf', 'fbc'],
  ] as const)('rejects %s as %s', (raw, kind) => {
    expect(parseMetaClickCookie(raw, kind).ok).toBe(false);
  });
});

describe('fbclid', () => {
  it('builds fb.1.<ms>.<fbclid>, keeping the case', () => {
    expect(deriveFbc('IwAR2F4-dbP0l7Mn', 1764326400000)).toBe('fb.1.1764326400000.IwAR2F4-dbP0l7Mn');
  });
  it.each([
    ['IwAR2F4-dbP0l7Mn1_x', true],
    ['', false],
    ['a b', false],
    ['a.b', false],
  ])('%s valid: %s', (raw, expected) => expect(isValidFbclid(raw)).toBe(expected));
});
