import { isIP } from 'node:net';

// The shopper's address for a browser event (docs/BROWSER.md): Fastify's `request.ip`, which is the TCP peer, or —
// when `server.trust_proxy` names the proxies in front of the gateway (hops or addresses/CIDRs) — the right-most
// X-Forwarded-For address NOT written by a trusted proxy (proxy-addr). Never the left-most entry: anyone can write
// it, and it would let a client pick the stored shopper IP and its own rate-limit bucket. IPv6 is kept as is
// (platforms take it); an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) is the IPv4 client it wraps.

function unmapped(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** The client address as Fastify resolved it (`request.ip`), when it is an IP address. */
export function clientIp(requestIp: string | undefined): string | undefined {
  return requestIp && isIP(requestIp) ? unmapped(requestIp) : undefined;
}

/** Fastify's `trustProxy` for the configured `server.trust_proxy` (a hop count becomes proxy-addr's hop function). */
export function fastifyTrustProxy(setting: false | number | string[]): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}
