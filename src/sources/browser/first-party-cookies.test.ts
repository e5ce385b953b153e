import { describe, expect, it } from 'vitest';
import { firstPartyCookies, requestCookie } from './first-party-cookies.js';

describe('firstPartyCookies', () => {
  it('sets each seen identifier under the name its pixel reads, Secure, Lax, never HttpOnly for those', () => {
    const cookies = firstPartyCookies({ fbp: 'fb.1.1764000000000.1', sccid: 'snap click', msclkid: 'abc123', rdt_uuid: 'r-1', em: ['x'] }, { domain: 'shop.example' });
    expect(cookies.slice(0, 4)).toEqual([
      '_fbp=fb.1.1764000000000.1; Max-Age=7776000; Path=/; Domain=shop.example; Secure; SameSite=Lax',
      '_mk_sccid=snap%20click; Max-Age=7776000; Path=/; Domain=shop.example; Secure; SameSite=Lax',
      '_uetmsclkid=_uetabc123; Max-Age=7776000; Path=/; Domain=shop.example; Secure; SameSite=Lax',
      '_rdt_uuid=r-1; Max-Age=7776000; Path=/; Domain=shop.example; Secure; SameSite=Lax',
    ]);
    expect(cookies).toHaveLength(5);
    expect(cookies[4]).toMatch(/^_mk_vid=mkv_[0-9a-f]{32}; Max-Age=33696000; Path=\/; Domain=shop\.example; Secure; SameSite=Lax; HttpOnly$/);
  });

  it('keeps a well-formed visitor id, replaces a forged one, and is host-only without a domain', () => {
    const kept = firstPartyCookies({}, { visitorId: 'mkv_' + 'a'.repeat(32) });
    expect(kept).toEqual([`_mk_vid=mkv_${'a'.repeat(32)}; Max-Age=33696000; Path=/; Secure; SameSite=Lax; HttpOnly`]);
    expect(firstPartyCookies({}, { visitorId: 'x; Domain=evil' })[0]).not.toContain('evil');
  });

  it('reads one cookie from a Cookie header', () => {
    expect(requestCookie('a=1; _mk_vid=mkv_1; b=2', '_mk_vid')).toBe('mkv_1');
    expect(requestCookie(undefined, '_mk_vid')).toBeUndefined();
  });
});
