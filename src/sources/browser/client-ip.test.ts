import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { clientIp, fastifyTrustProxy } from './client-ip.js';

async function ipSeen(trustProxy: false | number | string[], forwardedFor?: string): Promise<string | undefined> {
  const app = Fastify({ trustProxy: fastifyTrustProxy(trustProxy) });
  app.get('/', async (request) => ({ ip: clientIp(request.ip) ?? null }));
  const res = await app.inject({ method: 'GET', url: '/', remoteAddress: '10.0.0.2', headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
  await app.close();
  return (res.json() as { ip: string | null }).ip ?? undefined;
}

describe('clientIp', () => {
  it('takes the socket address unless a proxy is trusted', async () => {
    expect(await ipSeen(false, '203.0.113.7')).toBe('10.0.0.2');
    expect(await ipSeen(1)).toBe('10.0.0.2');
  });

  it('takes the right-most address a trusted proxy did not write: a client cannot pick its own by prepending', async () => {
    // The client wrote "198.51.100.66"; the one trusted proxy appended what it saw, 203.0.113.7.
    expect(await ipSeen(1, '198.51.100.66, 203.0.113.7')).toBe('203.0.113.7');
    // Two trusted hops (a CDN, then the load balancer at 10.0.0.2).
    expect(await ipSeen(2, '198.51.100.66, 203.0.113.7, 192.0.2.10')).toBe('203.0.113.7');
    // Trusted by address: every address inside the CIDRs is a proxy.
    expect(await ipSeen(['10.0.0.0/8', '192.0.2.0/24'], '198.51.100.66, 203.0.113.7, 192.0.2.10')).toBe('203.0.113.7');
    expect(await ipSeen(['192.0.2.0/24'], '203.0.113.7')).toBe('10.0.0.2'); // the peer is not a trusted proxy
  });

  it('keeps IPv6 as it is and unwraps IPv4-mapped addresses', () => {
    expect(clientIp('2001:db8::7')).toBe('2001:db8::7');
    expect(clientIp('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientIp('not-an-ip')).toBeUndefined();
    expect(clientIp(undefined)).toBeUndefined();
  });
});
