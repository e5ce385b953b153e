import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { parseJsonSafely } from './json-body.js';

function failure(text: string): InputError {
  try {
    parseJsonSafely(text);
  } catch (err) {
    return err as InputError;
  }
  throw new Error('expected a failure');
}

describe('parseJsonSafely', () => {
  it('parses ordinary JSON, including text that merely mentions the words', () => {
    expect(parseJsonSafely('{"a":[1,{"b":"prototype"}],"note":"constructor"}')).toEqual({ a: [1, { b: 'prototype' }], note: 'constructor' });
    expect(parseJsonSafely('{"name":"caf\\u00e9"}')).toEqual({ name: 'café' });
  });

  it('refuses __proto__ keys at any depth, escaped or not, naming where', () => {
    const direct = failure('{"event_name":"x","__proto__":{"polluted":true}}');
    expect(direct).toBeInstanceOf(InputError);
    expect(direct.code).toBe('forbidden_key');
    expect(direct.path).toBe('__proto__');
    expect(failure('{"events":[{"custom_data":{"\\u005f_proto__":{"x":1}}}]}').path).toBe('events.0.custom_data.__proto__');
    expect(failure('{"a":{"constructor":{"prototype":{"x":1}}}}').path).toBe('a.constructor.prototype');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says the body is not JSON without quoting it', () => {
    const err = failure('{"email":"jane@example.com",');
    expect(err.code).toBe('invalid_json');
    expect(err.message).not.toContain('jane');
    expect(failure('').message).toMatch(/empty/);
  });
});

describe('jsonTextOf', () => {
  it('refuses invalid UTF-8 with an InputError and decodes valid UTF-8', async () => {
    const { jsonTextOf } = await import('./json-body.js');
    const { InputError } = await import('../errors.js');
    expect(jsonTextOf(Buffer.from('{"name":"Zoë"}'))).toBe('{"name":"Zoë"}');
    for (const bad of [[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const body = Buffer.concat([Buffer.from('{"email":"a'), Buffer.from(bad), Buffer.from('@b.co"}')]);
      expect(() => jsonTextOf(body)).toThrow(InputError);
    }
  });

  it('writes characters above U+00FF as JSON escapes, keeping Latin-1 as it is: one byte per character', async () => {
    const { jsonTextOf } = await import('./json-body.js');
    const value = { first_name: 'Łukasz', last_name: 'Dvořák', city: 'Αθήνα', note: 'Zoë 😀 ł\\' };
    const text = jsonTextOf(Buffer.from(JSON.stringify(value)));
    expect(text).toBe(String.raw`{"first_name":"\u0141ukasz","last_name":"Dvo\u0159ák","city":"\u0391\u03b8\u03ae\u03bd\u03b1","note":"Zoë \ud83d\ude00 \u0142\\"}`);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('parses to exactly what the UTF-8 text parses to, or fails as it fails, for any text (long bodies included)', async () => {
    const { jsonTextOf, parseJsonSafely } = await import('./json-body.js');
    const outcome = (f: () => unknown): unknown => {
      try {
        return { value: f() };
      } catch (err) {
        // The code, not the message: a body of Unicode spaces alone is "empty" to String#trim in one form only.
        return { error: (err as InputError).code };
      }
    };
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom('\\', '"', '\\u0142', '\\ł', 'ł', 'é', '😀', '{"a":', '}', '[', ']', ',', ':', '\\"', 'proto', '__proto__'),
    );
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.record({ k: fc.string({ unit: 'binary' }), v: fc.string({ unit: 'binary' }), n: fc.nat(1200) }).map(({ k, v, n }) => JSON.stringify({ [k]: v, pad: 'x'.repeat(n) })),
      fc.array(piece, { maxLength: 40 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(body, (s) => {
        const raw = Buffer.from(s, 'utf8');
        const text = jsonTextOf(raw);
        expect(outcome(() => parseJsonSafely(text))).toEqual(outcome(() => parseJsonSafely(raw.toString('utf8'))));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a character above U+00FF after a backslash, as the text it came from is refused', async () => {
    const { jsonTextOf, parseJsonSafely } = await import('./json-body.js');
    const { InputError } = await import('../errors.js');
    expect(() => parseJsonSafely(jsonTextOf(Buffer.from('{"a":"\\ł"}')))).toThrow(InputError);
    expect(() => JSON.parse(Buffer.from('{"a":"\\ł"}').toString('utf8'))).toThrow(SyntaxError);
  });
});

describe('depth and NUL', () => {
  it('refuses nesting beyond the limit without recursing, counting brackets inside strings as text', () => {
    expect(parseJsonSafely('[[[1]]]', 3)).toEqual([[[1]]]);
    expect(() => parseJsonSafely('[[[[1]]]]', 3)).toThrow(/deeper than 3/);
    expect(failure('['.repeat(100_000) + ']'.repeat(100_000)).code).toBe('too_deep');
    expect(parseJsonSafely('{"a":"[[[[[[\\"{{{{"}', 2)).toEqual({ a: '[[[[[["{{{{' });
  });

  it('refuses a NUL in any string or key, naming where; a webhook may strip them instead', () => {
    expect(failure('{"user":{"email":"a\\u0000@b.co"}}')).toMatchObject({ path: 'user.email', code: 'control_character' });
    expect(failure('{"a\\u0000b":1}').code).toBe('control_character');
    expect(parseJsonSafely('{"name":"#10\\u000001"}', 32, { stripNul: true })).toEqual({ name: '#1001' });
  });
});

describe('assertJsonDepth', () => {
  it('counts the same nesting as a character-by-character scan, escapes and unterminated strings included', async () => {
    const { assertJsonDepth } = await import('./json-body.js');
    // The scan it replaced: a backslash inside a string skips the next character, a quote ends the string.
    const reference = (text: string): number => {
      let depth = 0;
      let max = 0;
      let inString = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') max = Math.max(max, ++depth);
        else if (c === '}' || c === ']') depth--;
      }
      return max;
    };
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.array(fc.constantFrom('{', '}', '[', ']', '"', '\\', 'a', ':', ','), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        const max = reference(text);
        expect(() => assertJsonDepth(text, max)).not.toThrow();
        if (max > 0) expect(() => assertJsonDepth(text, max - 1)).toThrow(InputError);
      }),
      { numRuns: 5000 },
    );
    expect(() => assertJsonDepth('{"a":"\\\\"}', 1)).not.toThrow();
    expect(() => assertJsonDepth('{"a":"\\\\\\"[[["}', 1)).not.toThrow();
    expect(() => assertJsonDepth('{"a":"\\\\"}[[', 1)).toThrow(InputError);
  });

  it('decodes an ASCII body as it is', async () => {
    const { jsonTextOf } = await import('./json-body.js');
    expect(jsonTextOf(Buffer.from('{"email":"a@b.co","x":"\\u00e9"}'))).toBe('{"email":"a@b.co","x":"\\u00e9"}');
  });
});
