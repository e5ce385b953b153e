import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deriveFbc, isValidFbclid, parseMetaClickCookie } from './click-ids.js';

describe('parseMetaClickCookie', () => {
  it.each([
    ['fb.1.1764326000000.AbCdEf', 'fbc'],
    ['fb.2.1764326000000.IwAR2F4-dbP0l7Mn1_IawQQ', 'fbc'],
    ['fb.1.1764326000000.AbCdEf.AQQCAQIA', 'fbc'], // Meta param builder appendix (github.com/facebook/capi-param-builder)
    ['fb.1.1764000000000.1234567890', 'fbp'],
    ['fb.1.1764000000000.1234567890.AQQCAQIA', 'fbp'],
  ] as const)('accepts %s as %s', (raw, kind) => {
    expect(parseMetaClickCookie(raw, kind)).toEqual({ ok: true, value: raw, creationMs: Number(raw.split('.')[2]) });
  });
  it.each([
    ['fb.1.1764326000000.', 'fbc'], // cookie without fbclid (seen in the wild)
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

// The rule as written (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc),
// segment by segment over split('.'): parseMetaClickCookie checks the same thing in place, and must give the same
// answer and the same detail for any string.
function byRule(raw: string, kind: 'fbc' | 'fbp'): ReturnType<typeof parseMetaClickCookie> {
  const value = raw.trim();
  const segments = value.split('.');
  const digits = /^[0-9]+$/;
  const chars = /^[A-Za-z0-9_-]*$/;
  if (segments.length < 4 || segments.length > 5) return { ok: false, detail: 'expected fb.<n>.<ms>.<id> with an optional appendix' };
  const [prefix, subdomain, ms, id, appendix] = segments as [string, string, string, string, string | undefined];
  if (prefix !== 'fb') return { ok: false, detail: 'does not start with fb.' };
  if (subdomain.length !== 1 || !digits.test(subdomain)) return { ok: false, detail: 'subdomain index is not one digit' };
  if (ms.length !== 13 || !digits.test(ms)) return { ok: false, detail: 'creation time is not 13-digit milliseconds' };
  if (id.length === 0) return { ok: false, detail: kind === 'fbc' ? 'no fbclid' : 'no random id' };
  if (kind === 'fbp' ? !digits.test(id) : !chars.test(id)) return { ok: false, detail: kind === 'fbc' ? 'fbclid has characters outside [A-Za-z0-9_-]' : 'random id is not digits' };
  if (appendix !== undefined && (appendix.length === 0 || !chars.test(appendix))) return { ok: false, detail: 'malformed appendix' };
  return { ok: true, value, creationMs: Number(ms) };
}

describe('parseMetaClickCookie against the rule', () => {
  it('gives the same answer as the segment-by-segment rule on cookie-like strings (property)', () => {
    const segment = fc.oneof(
      fc.stringMatching(/^[0-9]{0,14}$/),
      fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/),
      fc.constantFrom('fb', 'fc', 'FB', '1', '1764326000000', 'AQQCAQIA', '', ' ', 'a b', '١'),
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 7 }), fc.constantFrom('fbc', 'fbp'), fc.constantFrom('', ' ', '\t'), (parts, kind, pad) => {
        const raw = `${pad}${parts.join('.')}${pad}`;
        expect(parseMetaClickCookie(raw, kind)).toEqual(byRule(raw, kind));
        const cookie = `fb.${parts.join('.')}`;
        expect(parseMetaClickCookie(cookie, kind)).toEqual(byRule(cookie, kind));
      }),
      { numRuns: 5000 },
    );
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
