import { isAscii, isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { InputError } from '../errors.js';

// One JSON body parser for every route. It keeps the raw bytes on the request (the Shopify HMAC is computed over
// them, https://shopify.dev/docs/api/webhooks), refuses a body nested deeper than `server.limits.max_json_depth`
// before parsing it (an iterative scan: 20,000 levels once overflowed the recursive checks below and every later
// reader — 500), and refuses prototype-poisoning keys (`__proto__`, `constructor.prototype`) so that no later merge
// or record copy can be turned against the process.

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, for signature checks. Set for JSON bodies only. */
    rawBody?: Buffer;
  }
}

/** `application/json`, `application/json; charset=utf-8`, `application/vnd.api+json`. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json(?:\s*;|\s*$)/i;

export const DEFAULT_MAX_JSON_DEPTH = 32;

export function registerJsonBody(app: FastifyInstance, maxDepth = DEFAULT_MAX_JSON_DEPTH): void {
  app.removeAllContentTypeParsers();
  addJsonParser(app, JSON_TYPE, maxDepth);
}

/** Parses `type` bodies as JSON (raw bytes kept), in `app`'s scope. */
export function addJsonParser(app: FastifyInstance, type: RegExp, maxDepth: number): void {
  app.addContentTypeParser(type, { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    try {
      done(null, parseJsonSafely(jsonTextOf(raw), maxDepth));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/** In `app`'s scope, keeps JSON bodies as raw bytes only: the route verifies a signature before it parses them. */
export function keepJsonRaw(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, undefined);
  });
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Refuses JSON text nested deeper than `maxDepth` arrays/objects, without recursion (strings are skipped). Most of a
 * body is string content (hex hashes, emails, URLs), so a string is crossed with indexOf to its closing quote rather
 * than character by character: a third of the cost on the realistic batches of bench/lib/bodies.ts.
 */
export function assertJsonDepth(text: string, maxDepth: number): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i + 1);
      if (i < 0) return;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) throw new InputError('', `the body nests deeper than ${maxDepth} levels`, 'too_deep');
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
}

/** The index of the quote closing a string whose content starts at `from` (-1: unterminated). */
function closingQuote(text: string, from: number): number {
  for (let q = text.indexOf('"', from); q >= 0; q = text.indexOf('"', q + 1)) {
    // Escaped only by an odd run of backslashes: `\\"` is an escaped backslash, then the end of the string.
    let backslashes = 0;
    while (q - 1 - backslashes >= from && text.charCodeAt(q - 1 - backslashes) === BACKSLASH) backslashes++;
    if ((backslashes & 1) === 0) return q;
  }
  return -1;
}

/**
 * The body as text for JSON.parse: its UTF-8 decoded, refused when it is not UTF-8 (RFC 8259 §8.1: decoding invalid
 * bytes leniently would turn them into U+FFFD and store, and hash, an identity value the client never sent).
 *
 * A character above U+00FF anywhere (one Polish, Czech or Greek name) makes V8 decode the whole body into a two-byte
 * string. A batch of 100 events is then ~170 KB, past the 128 KB above which V8 gives an object pages of its own,
 * and such a string decoded ~8x slower per byte (Node 20): reading the body of a realistic batch cost 13.3 µs per
 * event, 8.0 this way (bench/micro/ingest-stages.ts, docs/BENCHMARKS.md). So only the runs of non-ASCII bytes are
 * decoded as UTF-8, and a character above U+00FF in them is written as its JSON escape (`\u0142`), which JSON.parse
 * reads back as the same character (RFC 8259 §7): the text stays one byte per character and parses to exactly the
 * same value.
 */
export function jsonTextOf(raw: Buffer): string {
  // ASCII (nearly every body) is UTF-8 as it is, and a latin1 copy of it is ~8x cheaper than the UTF-8 decoder.
  if (isAscii(raw)) return raw.toString('latin1');
  if (!isUtf8(raw)) throw new InputError('', 'the body is not valid UTF-8', 'invalid_utf8');
  return oneByteJsonText(raw) ?? raw.toString('utf8');
}

/** Bytes checked at once with isAscii before they are looked at one by one. */
const ASCII_CHUNK = 512;

/**
 * `raw` (valid UTF-8) with every character above U+00FF escaped; undefined where an escape could change what the
 * text means: a character that follows a backslash is not valid JSON (no escape starts with it), and must stay so.
 */
function oneByteJsonText(raw: Buffer): string | undefined {
  const n = raw.length;
  let text = '';
  let copied = 0;
  for (let chunk = 0; chunk < n; chunk += ASCII_CHUNK) {
    const chunkEnd = Math.min(n, chunk + ASCII_CHUNK);
    if (copied >= chunkEnd || isAscii(raw.subarray(chunk, chunkEnd))) continue;
    for (let i = Math.max(copied, chunk); i < chunkEnd; i++) {
      if (raw[i]! < 0x80) continue;
      // A run of non-ASCII bytes in valid UTF-8 is whole characters: it starts at a lead byte and ends before ASCII.
      let end = i + 1;
      while (end < n && raw[end]! >= 0x80) end++;
      const run = raw.toString('utf8', i, end);
      let escaped = run;
      for (let k = 0; k < run.length; k++) {
        if (run.charCodeAt(k) <= 0xff) continue;
        if (raw[i - 1] === BACKSLASH) return undefined;
        escaped = run.slice(0, k);
        for (; k < run.length; k++) {
          const code = run.charCodeAt(k);
          escaped += code <= 0xff ? run[k] : `\\u${code.toString(16).padStart(4, '0')}`;
        }
      }
      text += raw.toString('latin1', copied, i) + escaped;
      copied = end;
      i = end;
    }
  }
  return text + raw.toString('latin1', copied, n);
}

/**
 * `stripNul`: drop NUL characters from strings instead of refusing the body — for a signed webhook, which must be
 * acknowledged whatever its content (Shopify deletes subscriptions that keep failing).
 */
export function parseJsonSafely(text: string, maxDepth = DEFAULT_MAX_JSON_DEPTH, opts: { stripNul?: boolean } = {}): unknown {
  assertJsonDepth(text, maxDepth);
  const hasNul = text.includes('\\u0000');
  let value: unknown;
  try {
    value = hasNul && opts.stripNul ? JSON.parse(text, (_key, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '') : v)) : JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the offending text, which may be PII: say only what is wrong.
    throw new InputError('', text.trim() === '' ? 'the body is empty; expected JSON' : 'the body is not valid JSON', 'invalid_json');
  }
  // Only bodies that could spell a dangerous key are walked. An escape such as \u005f can spell one too, and only
  // an escape of an ASCII character can (`\u00..`): jsonTextOf's own escapes, all above U+00FF, cannot.
  if (text.includes('proto') || text.includes('constructor') || text.includes('\\u00')) assertNoPoisonKeys(value, []);
  // A NUL can only arrive escaped. No input of ours has a use for one, and PostgreSQL stores none (text and jsonb
  // refuse it: a 500 there where SQLite stored it), so it is refused where it is, on every store.
  if (hasNul && !opts.stripNul) assertNoNul(value, []);
  return value;
}

function assertNoNul(value: unknown, path: (string | number)[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new InputError(path.join('.'), 'a NUL character (\\u0000) is not allowed', 'control_character');
    return;
  }
  if (Array.isArray(value)) return value.forEach((v, i) => assertNoNul(v, [...path, i]));
  if (typeof value !== 'object' || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\u0000')) throw new InputError([...path, key.replaceAll('\u0000', '')].join('.'), 'a NUL character (\\u0000) is not allowed in a key', 'control_character');
    assertNoNul(v, [...path, key]);
  }
}

function assertNoPoisonKeys(value: unknown, path: (string | number)[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoPoisonKeys(v, [...path, i]));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) {
    throw new InputError([...path, '__proto__'].join('.'), 'forbidden key', 'forbidden_key');
  }
  const record = value as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(record, 'constructor')) {
    const ctor = record.constructor;
    if (typeof ctor === 'object' && ctor !== null && Object.prototype.hasOwnProperty.call(ctor, 'prototype')) {
      throw new InputError([...path, 'constructor', 'prototype'].join('.'), 'forbidden key', 'forbidden_key');
    }
  }
  for (const key of Object.keys(record)) assertNoPoisonKeys(record[key], [...path, key]);
}
