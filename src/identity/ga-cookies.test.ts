import { describe, expect, it } from 'vitest';
import { parseGaClientId, parseGaSessionId } from './ga-cookies.js';

describe('GA4 cookies', () => {
  it('reads the client id from a _ga cookie or takes a bare one', () => {
    expect(parseGaClientId('GA1.1.1162820436.1749482504')).toEqual({ ok: true, value: '1162820436.1749482504' });
    expect(parseGaClientId('GA1.2.286403989.1366364567')).toEqual({ ok: true, value: '286403989.1366364567' });
    expect(parseGaClientId(' 1162820436.1749482504 ')).toEqual({ ok: true, value: '1162820436.1749482504' });
    expect(parseGaClientId('fb.1.1764000000000.1234567890').ok).toBe(false);
    expect(parseGaClientId('GA1.1.abc.123').ok).toBe(false);
  });

  it('reads the session id from both _ga_<stream> formats or takes a bare one', () => {
    expect(parseGaSessionId('GS1.1.1746825440.14.0.17468254406.0.0.295082955')).toEqual({ ok: true, value: '1746825440' });
    expect(parseGaSessionId('GS2.1.s1747132561$o1$g0$t1747132655$j0$l0$h0')).toEqual({ ok: true, value: '1747132561' });
    expect(parseGaSessionId('GS2.1.o1$s1747132561$g0')).toEqual({ ok: true, value: '1747132561' });
    expect(parseGaSessionId('1747132561')).toEqual({ ok: true, value: '1747132561' });
    expect(parseGaSessionId('GS2.1.o1$g0').ok).toBe(false);
    expect(parseGaSessionId('session-1').ok).toBe(false);
  });
});
