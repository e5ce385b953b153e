import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { InputError } from '../errors.js';

// One JSON body parser for every route. It keeps the raw bytes on the request (the Shopify HMAC is computed over
// them, PLATFORMS.md §7) and refuses prototype-poisoning keys (`__proto__`, `constructor.prototype`) so that no
// later merge or record copy can be turned against the process.

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received, for signature checks. Set for JSON bodies only. */
    rawBody?: Buffer;
  }
}

/** `application/json`, `application/json; charset=utf-8`, `application/vnd.api+json`. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json(?:\s*;|\s*$)/i;

export function registerJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_TYPE, { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    try {
      done(null, parseJsonSafely(decodeUtf8Strictly(raw)));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/**
 * JSON text must be UTF-8 (RFC 8259 §8.1). Decoding invalid bytes leniently would turn them into U+FFFD and store
 * an identity value the client never sent (and hash it): refuse the body instead.
 */
export function decodeUtf8Strictly(raw: Buffer): string {
  if (!isUtf8(raw)) throw new InputError('', 'the body is not valid UTF-8', 'invalid_utf8');
  return raw.toString('utf8');
}

export function parseJsonSafely(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the offending text, which may be PII: say only what is wrong.
    throw new InputError('', text.trim() === '' ? 'the body is empty; expected JSON' : 'the body is not valid JSON', 'invalid_json');
  }
  // Only bodies that could spell a dangerous key are walked (an escape such as \u005f can spell it too).
  if (text.includes('proto') || text.includes('constructor') || text.includes('\\u')) assertNoPoisonKeys(value, []);
  return value;
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
