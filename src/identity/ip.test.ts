import { describe, expect, it } from 'vitest';
import { normalizeIp } from './ip.js';

describe('normalizeIp', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7', false],
    [' 8.8.8.8 ', '8.8.8.8', false],
    ['203.0.113.7:443', '203.0.113.7', true],
    ['[2001:db8::1]:443', '2001:db8::1', true],
    ['[2001:db8::1]', '2001:db8::1', false],
    ['2001:DB8::1', '2001:db8::1', false],
    ['2a03:2880:f12f:83:face:b00c::25de', '2a03:2880:f12f:83:face:b00c::25de', false],
    ['::ffff:203.0.113.7', '203.0.113.7', false], // dual-stack socket form → IPv4
    ['198.51.100.1', '198.51.100.1', false], // documentation ranges are kept
    ['192.0.2.1', '192.0.2.1', false],
    ['100.128.0.1', '100.128.0.1', false], // just outside CGNAT
    ['172.32.0.1', '172.32.0.1', false], // just outside 172.16/12
  ])('%s → %s (port %s)', (raw, ip, hadPort) => expect(normalizeIp(raw)).toEqual({ ok: true, ip, hadPort }));

  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.1.1', '100.64.0.1', '100.127.255.255',
    '0.0.0.0', '224.0.0.1', '240.0.0.1', '255.255.255.255', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1',
    '::ffff:10.0.0.1', '10.0.0.1:8080',
  ])('%s is not a shopper address (SERVER_IP)', (raw) => {
    expect(normalizeIp(raw)).toMatchObject({ ok: false, code: 'SERVER_IP' });
  });

  it('drops the configured server addresses and blocks', () => {
    const serverIps = ['203.0.113.10', '198.51.100.0/24', '2001:db8:1::/48'];
    expect(normalizeIp('203.0.113.10', serverIps)).toMatchObject({ ok: false, code: 'SERVER_IP' });
    expect(normalizeIp('198.51.100.77', serverIps)).toMatchObject({ ok: false, code: 'SERVER_IP' });
    expect(normalizeIp('2001:db8:1::5', serverIps)).toMatchObject({ ok: false, code: 'SERVER_IP' });
    expect(normalizeIp('203.0.113.11', serverIps)).toEqual({ ok: true, ip: '203.0.113.11', hadPort: false });
  });

  it.each(['999.1.1.1', '1.2.3', 'localhost', '1.2.3.4:99999', '[2001:db8::1', '[2001:db8::1]x', '1.2.3.4:abc', ''])(
    '%s is IP_INVALID',
    (raw) => expect(normalizeIp(raw)).toMatchObject({ ok: false, code: 'IP_INVALID' }),
  );
});
