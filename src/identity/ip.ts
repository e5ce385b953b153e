import { BlockList, isIP } from 'node:net';

// The shopper's IP (Meta client_ip_address, TikTok ip, Pinterest client_ip_address: the READMEs under
// src/platforms/): sent plain, so it must be the shopper's public address. A private, loopback or otherwise
// non-routable address is the shop's own server or proxy — forwarding it as the shopper's makes every order look like
// one person — so it is dropped (SERVER_IP). The documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24,
// 2001:db8::/32) are kept: examples and tests use them.

export type IpResult =
  | { ok: true; ip: string; hadPort: boolean }
  | { ok: false; code: 'IP_INVALID' | 'SERVER_IP'; detail: string; hadPort: boolean };

// The fixed non-public ranges are checked by hand: BlockList.check costs ~1.2 µs per call (it builds a native
// SocketAddress), a tenth of our per-event budget. Configured server addresses, which vary, use a BlockList.
function isNonPublicIpv4(ip: string): boolean {
  const dot1 = ip.indexOf('.');
  const dot2 = ip.indexOf('.', dot1 + 1);
  const a = Number(ip.slice(0, dot1));
  const b = Number(ip.slice(dot1 + 1, dot2));
  return (
    a === 0 || // "this network", includes the unspecified address
    a === 10 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT 100.64/10
    a === 127 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224 // multicast 224/4, reserved 240/4, broadcast
  );
}

// `ip` is a valid, lowercased IPv6 address (isIP said so) that is not IPv4-mapped.
function isNonPublicIpv6(ip: string): boolean {
  if (ip === '::' || ip === '::1') return true;
  const colon = ip.indexOf(':');
  if (colon === 0) return false; // `::x…`: first hextet 0, neither unspecified nor loopback
  const first = parseInt(ip.slice(0, colon), 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 // multicast ff00::/8
  );
}

const serverListCache = new WeakMap<readonly string[], BlockList>();

function serverList(serverIps: readonly string[]): BlockList {
  let list = serverListCache.get(serverIps);
  if (!list) {
    list = new BlockList();
    for (const entry of serverIps) addServerEntry(list, entry.trim());
    serverListCache.set(serverIps, list);
  }
  return list;
}

// An entry is an address or a CIDR block (`203.0.113.0/24`); entries that are neither are ignored.
function addServerEntry(list: BlockList, entry: string): void {
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return;
  const type = version === 4 ? 'ipv4' : 'ipv6';
  if (slash < 0) list.addAddress(address, type);
  else {
    const prefix = Number(entry.slice(slash + 1));
    if (Number.isInteger(prefix) && prefix >= 0 && prefix <= (version === 4 ? 32 : 128)) list.addSubnet(address, prefix, type);
  }
}

export function normalizeIp(raw: string, serverIps?: readonly string[]): IpResult {
  let ip = raw.trim();
  let hadPort = false;
  if (ip.charCodeAt(0) === 91 /* [ */) {
    const close = ip.indexOf(']');
    if (close < 0) return { ok: false, code: 'IP_INVALID', detail: 'unclosed [', hadPort };
    const after = ip.slice(close + 1);
    if (after.length > 0) {
      if (!isPort(after)) return { ok: false, code: 'IP_INVALID', detail: 'text after ]', hadPort };
      hadPort = true;
    }
    ip = ip.slice(1, close);
  } else {
    const colon = ip.indexOf(':');
    // One colon = IPv4 with a port; IPv6 has at least two.
    if (colon > 0 && ip.indexOf(':', colon + 1) < 0) {
      if (!isPort(ip.slice(colon))) return { ok: false, code: 'IP_INVALID', detail: 'not an IPv4 or IPv6 address', hadPort };
      ip = ip.slice(0, colon);
      hadPort = true;
    }
  }
  let version = isIP(ip);
  if (version === 0) return { ok: false, code: 'IP_INVALID', detail: 'not an IPv4 or IPv6 address', hadPort };
  if (version === 6) {
    ip = ip.toLowerCase();
    // `::ffff:203.0.113.7` is how a dual-stack socket shows an IPv4 client: send the IPv4 form.
    if (ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4) {
      ip = ip.slice(7);
      version = 4;
    }
  }
  const type = version === 4 ? 'ipv4' : 'ipv6';
  if (version === 4 ? isNonPublicIpv4(ip) : isNonPublicIpv6(ip)) return { ok: false, code: 'SERVER_IP', detail: 'private, loopback or reserved address', hadPort };
  if (serverIps && serverIps.length > 0 && serverList(serverIps).check(ip, type)) {
    return { ok: false, code: 'SERVER_IP', detail: "one of the configured server addresses", hadPort };
  }
  return { ok: true, ip, hadPort };
}

function isPort(colonAndDigits: string): boolean {
  if (colonAndDigits.length < 2 || colonAndDigits.length > 6 || colonAndDigits.charCodeAt(0) !== 58) return false;
  for (let i = 1; i < colonAndDigits.length; i++) {
    const c = colonAndDigits.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return Number(colonAndDigits.slice(1)) <= 65535;
}
