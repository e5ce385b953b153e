import { randomBytes } from 'node:crypto';

// Plain-code checks shared by the simulators. They run on every event of every request (20k events/s in the
// benchmarks), so no schema compilation and no allocation beyond the answer.

const SHA256_HEX = /^[0-9a-f]{64}$/;
// Meta's param builder appends `.<base64url appendix>` to hashed values (github.com/facebook/capi-param-builder).
const SHA256_HEX_WITH_APPENDIX = /^[0-9a-f]{64}(\.[A-Za-z0-9_-]+)?$/;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

export function isSha256Hex(v: unknown): boolean {
  return typeof v === 'string' && SHA256_HEX.test(v);
}

export function isSha256HexWithAppendix(v: unknown): boolean {
  return typeof v === 'string' && SHA256_HEX_WITH_APPENDIX.test(v);
}

/**
 * Unix seconds as an integer. Values past year 2286 (13+ digits) are milliseconds sent by mistake and fail here,
 * which is the point: every platform but Klaviyo wants seconds.
 */
export function isUnixSeconds(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 10_000_000_000;
}

export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isCurrencyCode(v: unknown): boolean {
  return typeof v === 'string' && /^[A-Za-z]{3}$/.test(v);
}

/** `value` is a string or a non-empty array of strings, each accepted by `ok`; returns the index of the first bad one. */
export function checkStringOrArray(v: unknown, ok: (s: unknown) => boolean, arrayOnly = false): { ok: true } | { ok: false; index?: number } {
  if (Array.isArray(v)) {
    if (v.length === 0) return { ok: false };
    for (let i = 0; i < v.length; i++) if (!ok(v[i])) return { ok: false, index: i };
    return { ok: true };
  }
  if (arrayOnly) return { ok: false };
  return ok(v) ? { ok: true } : { ok: false };
}

/** Random ids of the kind platforms put in answers (fbtrace_id, request_id). */
export function randomId(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

export function randomHexId(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** First value of a header or query parameter that may have been repeated. */
export function firstValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Tokens the simulators treat as revoked/invalid, so a test can drive the auth-failure path of a destination
 * without any special switch: any credential starting with `invalid` or `expired`.
 */
export function isRevokedCredential(token: string): boolean {
  return token.startsWith('invalid') || token.startsWith('expired');
}

/** An account/pixel id the simulated platform does not know (or the token cannot see): one starting with "unknown". */
export function isUnknownId(id: string): boolean {
  return id.startsWith('unknown');
}

// Meta, TikTok and Pinterest all take `{data: [event, …]}` with an `event_id` per event (the meta, tiktok and
// pinterest READMEs): how the recorder counts a request's events and names them.
function dataOf(body: unknown): unknown[] | null {
  return isObject(body) && Array.isArray(body.data) ? body.data : null;
}

export function dataEventIds(body: unknown): (string | undefined)[] {
  return (dataOf(body) ?? []).map((e) => (isObject(e) && typeof e.event_id === 'string' ? e.event_id : undefined));
}

export function dataEventCount(body: unknown): number {
  return dataOf(body)?.length ?? 0;
}
