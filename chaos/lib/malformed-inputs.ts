import { purchase } from './stream.js';

// The malformed-input corpus of scenario 4: for any JSON route, bodies that are broken in every way a careless or
// hostile client manages. Each input says what it is, so a wrong answer names its kind.

export interface MalformedInput {
  kind: string;
  body: Buffer | string;
  contentType: string | null;
}

const deep = (depth: number, open: string, close: string, inner = '1'): string => open.repeat(depth) + inner + close.repeat(depth);

function validEventJson(n: number): string {
  return JSON.stringify(purchase(`malformed_${n}`));
}

/** Invalid UTF-8 sequences, spliced into a string value of an otherwise valid event. */
const BAD_UTF8 = [Buffer.from([0xc3, 0x28]), Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from([0xc0, 0xaf])];

const WRONG_TYPES: ((e: Record<string, any>) => unknown)[] = [
  (e) => ({ ...e, event_time: 'yesterday' }),
  (e) => ({ ...e, event_time: { at: 1 } }),
  (e) => ({ ...e, event_name: 123 }),
  (e) => ({ ...e, event_name: '' }),
  (e) => ({ ...e, user: [] }),
  (e) => ({ ...e, user: 'jane@example.com' }),
  (e) => ({ ...e, user: { ...e.user, email: 42 } }),
  (e) => ({ ...e, user: { ...e.user, email: [{}] } }),
  (e) => ({ ...e, user: { ...e.user, client_ip_address: ['a'] } }),
  (e) => ({ ...e, commerce: { ...e.commerce, value: 'a lot' } }),
  (e) => ({ ...e, commerce: { ...e.commerce, value: -1e309 } }),
  (e) => ({ ...e, commerce: { ...e.commerce, items: 'SKU-1' } }),
  (e) => ({ ...e, commerce: { ...e.commerce, items: [{ quantity: 'two' }] } }),
  (e) => ({ ...e, commerce: null }),
  (e) => ({ ...e, consent: 'yes' }),
  (e) => ({ events: e }),
  (e) => ({ events: [e, 'not an event'] }),
  (e) => ({ events: [], extra: 1 }),
  () => null,
  () => [],
  () => 'a string',
  () => 12345,
  () => true,
];

// Built once per variant: a few MB each, reused across the corpus.
const HUGE: ((json: string, event: Record<string, any>) => string)[] = [
  (json) => `{"events":[${Array.from({ length: 1001 }, () => json).join(',')}]}`,
  () => `[${Array.from({ length: 200_000 }, (_, i) => i).join(',')}]`,
  (_, event) => JSON.stringify({ ...event, user: { ...event.user, email: Array.from({ length: 100_000 }, (_, i) => `a${i}@b.co`) } }),
  (_, event) => JSON.stringify({ ...event, commerce: { ...event.commerce, items: Array.from({ length: 50_000 }, () => ({ id: 'x', quantity: 1, price: 1 })) } }),
  () => `{"events":[${Array.from({ length: 5000 }, () => '{}').join(',')}]}`,
];
const hugeCache: string[] = [];
const tenMb: string[] = [];

export function malformedInputs(count: number, opts: { hugeEvery?: number } = {}): MalformedInput[] {
  const out: MalformedInput[] = [];
  const hugeEvery = opts.hugeEvery ?? 500;
  for (let n = 0; out.length < count; n++) {
    const json = validEventJson(n);
    const event = JSON.parse(json) as Record<string, any>;
    const kind = n % 9;
    if (n % hugeEvery === hugeEvery - 1) {
      // 10 MB: a single event with a 10 MB field (over the 1 MB single-event limit), or 10 MB of garbage.
      const v = n % 2;
      tenMb[v] ??= v === 0 ? JSON.stringify({ ...event, user: { ...event.user, email: 'x'.repeat(10 * 1024 * 1024) } }) : '['.repeat(10 * 1024 * 1024);
      out.push({ kind: '10 MB body', body: tenMb[v], contentType: 'application/json' });
      continue;
    }
    switch (kind) {
      case 0:
        out.push({ kind: 'truncated JSON', body: json.slice(0, 1 + (n % (json.length - 1))), contentType: 'application/json' });
        break;
      case 1: {
        const at = json.indexOf('@example.com');
        const bad = BAD_UTF8[n % BAD_UTF8.length]!;
        out.push({ kind: 'invalid UTF-8', body: Buffer.concat([Buffer.from(json.slice(0, at)), bad, Buffer.from(json.slice(at))]), contentType: 'application/json' });
        break;
      }
      case 2: {
        const variants = [deep(10_000, '[', ']'), deep(10_000, '{"a":', '}'), JSON.stringify({ ...event, user: 'USER' }).replace('"USER"', deep(10_000, '{"x":', '}')), `{"events":${deep(10_000, '[', ']')}}`];
        out.push({ kind: 'nesting 10,000 deep', body: variants[n % variants.length]!, contentType: 'application/json' });
        break;
      }
      case 3: {
        const variants = [
          `{"__proto__":{"polluted":true},${json.slice(1)}`,
          json.replace('"user":{', '"user":{"__proto__":{"isAdmin":true},'),
          `{"constructor":{"prototype":{"polluted":true}},${json.slice(1)}`,
          `{"\\u005f_proto__":{"polluted":true},${json.slice(1)}`,
          `{"events":[${json.replace('"commerce":{', '"commerce":{"__proto__":[1],')}]}`,
        ];
        out.push({ kind: '__proto__ keys', body: variants[n % variants.length]!, contentType: 'application/json' });
        break;
      }
      case 4: {
        const types = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonp', 'text/json', null];
        out.push({ kind: 'wrong content type', body: json, contentType: types[n % types.length]! });
        break;
      }
      case 5:
      case 6:
        out.push({ kind: 'wrong field types', body: JSON.stringify(WRONG_TYPES[n % WRONG_TYPES.length]!(event)), contentType: 'application/json' });
        break;
      case 7: {
        const i = n % HUGE.length;
        hugeCache[i] ??= HUGE[i]!(json, event);
        out.push({ kind: 'huge arrays', body: hugeCache[i], contentType: 'application/json' });
        break;
      }
      default: {
        const variants = ['', ' ', '{}', '{"events":null}', '\u0000', '{"a":1}garbage', '{"a":1,}', "{'a':1}", 'NaN', '\ufeff{}'];
        out.push({ kind: 'empty or not JSON', body: variants[n % variants.length]!, contentType: 'application/json' });
      }
    }
  }
  return out;
}
