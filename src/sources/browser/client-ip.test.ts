import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip.js';

describe('clientIp', () => {
  it('takes the socket address unless the proxy is trusted', () => {
    expect(clientIp({ socketAddress: '198.51.100.1', forwardedFor: '203.0.113.7', trustProxy: false })).toBe('198.51.100.1');
    expect(clientIp({ socketAddress: '198.51.100.1', forwardedFor: '203.0.113.7, 10.0.0.1', trustProxy: true })).toBe('203.0.113.7');
    expect(clientIp({ socketAddress: '198.51.100.1', forwardedFor: 'not-an-ip', trustProxy: true })).toBe('198.51.100.1');
    expect(clientIp({ socketAddress: '198.51.100.1', forwardedFor: undefined, trustProxy: true })).toBe('198.51.100.1');
  });

  it('keeps IPv6 as it is and unwraps IPv4-mapped addresses', () => {
    expect(clientIp({ socketAddress: '2001:db8::7', forwardedFor: undefined, trustProxy: false })).toBe('2001:db8::7');
    expect(clientIp({ socketAddress: '::ffff:203.0.113.7', forwardedFor: undefined, trustProxy: false })).toBe('203.0.113.7');
    expect(clientIp({ socketAddress: '::1', forwardedFor: '[2001:db8::9]:443', trustProxy: true })).toBe('2001:db8::9');
    expect(clientIp({ socketAddress: '::1', forwardedFor: '203.0.113.8:5000', trustProxy: true })).toBe('203.0.113.8');
    expect(clientIp({ socketAddress: undefined, forwardedFor: undefined, trustProxy: false })).toBeUndefined();
  });
});
