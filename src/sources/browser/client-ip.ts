import { isIP } from 'node:net';

// The shopper's address for a browser event (issue 4 item 2). From the TCP socket, or — only when the operator says
// the gateway sits behind a proxy (`server.trust_proxy`) — from X-Forwarded-For, whose left-most entry is the
// client as the first proxy saw it. Without trust_proxy the header is ignored: anyone can write it. IPv6 is kept as
// is (platforms take it); an IPv4-mapped IPv6 socket address (`::ffff:203.0.113.7`) is the IPv4 client it wraps.

export interface ClientIpInput {
  socketAddress: string | undefined;
  forwardedFor: string | string[] | undefined;
  trustProxy: boolean;
}

function unmapped(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** `[2001:db8::1]:443` or `203.0.113.7:5000` as proxies sometimes write them → the bare address. */
function bare(entry: string): string {
  const e = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(e);
  if (bracketed) return bracketed[1]!;
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(e);
  return v4port ? v4port[1]! : e;
}

export function clientIp(input: ClientIpInput): string | undefined {
  if (input.trustProxy && input.forwardedFor !== undefined) {
    const header = Array.isArray(input.forwardedFor) ? input.forwardedFor.join(',') : input.forwardedFor;
    const first = bare(header.split(',')[0] ?? '');
    if (isIP(first)) return unmapped(first);
  }
  const socket = input.socketAddress;
  return socket && isIP(socket) ? unmapped(socket) : undefined;
}
