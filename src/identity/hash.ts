import { hash } from 'node:crypto';
import type { Sha256Hex } from './types.js';

// SHA-256 lowercase hex, the one hash every platform takes (each platform README under src/platforms/).
// `crypto.hash` is the one-shot API: about a quarter of the cost of createHash().update().digest().
export function sha256Hex(normalized: string): Sha256Hex {
  return hash('sha256', normalized, 'hex');
}

// Country codes, 2-letter state codes and genders come from a few hundred values: their hashes are kept
// instead of recomputed per event (two of ~10 hashes of a typical purchase). Never used for email, phone,
// names or street: raw PII is not kept in memory beyond the event. Bounded in case of unexpected input.
const MEMO_LIMIT = 4096;
const memo = new Map<string, Sha256Hex>();

/** sha256Hex for low-cardinality, non-identifying values (country, state code, gender). */
export function sha256HexMemo(normalized: string): Sha256Hex {
  let hex = memo.get(normalized);
  if (hex === undefined) {
    hex = sha256Hex(normalized);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(normalized, hex);
  }
  return hex;
}

/** 64 lowercase hex characters: the form we send. */
export function isSha256Hex(value: string): boolean {
  if (value.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = value.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * How a caller-supplied value relates to hashing:
 * - `hash`: already a SHA-256 (64 hex, any case; or Meta param-builder's `<64hex>.<appendix>`,
 *   github.com/facebook/capi-param-builder).
 *   Passed through lowercased, never hashed again (operators send hashes they computed themselves).
 * - `malformed`: hex-only with a hash-like length (32..128) that is not 64 — an MD5, a truncated or a SHA-512
 *   value. Hashing it again would send a key that can never match, so it is dropped and reported.
 * - `plain`: anything else; normalize and hash it.
 */
export type PrehashedKind = { kind: 'hash'; hex: Sha256Hex } | { kind: 'malformed'; detail: string } | { kind: 'plain' };

const PLAIN: PrehashedKind = { kind: 'plain' };

export function classifyPrehashed(trimmed: string, opts: { flagMalformed?: boolean } = {}): PrehashedKind {
  const length = trimmed.length;
  if (length < 32) return PLAIN;
  const hexRun = hexPrefixLength(trimmed);
  if (hexRun === 64 && (length === 64 || (trimmed.charCodeAt(64) === 46 /* . */ && isAppendix(trimmed, 65)))) {
    return { kind: 'hash', hex: trimmed.slice(0, 64).toLowerCase() };
  }
  if (opts.flagMalformed !== false && hexRun === length && length <= 128) {
    return { kind: 'malformed', detail: `${String(length)} hex characters, a SHA-256 has 64` };
  }
  return PLAIN;
}

function hexPrefixLength(s: string): number {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) break;
  }
  return i;
}

// Meta's appendix is base64url of 6 bytes (`AQQCAQIA`); accept any short base64url run.
function isAppendix(s: string, from: number): boolean {
  if (from >= s.length || s.length - from > 64) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}
