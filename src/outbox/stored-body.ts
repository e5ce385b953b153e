import type { HashedEvent, HashedUser } from '../identity/types.js';

// The hashed event as the outbox stores it (`events.body`). hashOnce (src/identity/hash-once.ts) gives each
// platform its own variant of a field, and most of the time the variant is the very same hash as its base: a
// non-gmail address has em_google = em, a plain name has fn_meta = fn. Those copies were ~300 of the ~1,900 bytes
// of a typical stored body. A variant equal to its base is stored as the number 0 ("same as the base"): the key
// keeps its place, so a read gives back the same object with the same key order; a hash is never a number, so a
// body written before (every variant spelled out) reads as it always did; and an absent variant stays absent.
// Equality is a string comparison of the hashes hashOnce already made — nothing is hashed again.

/** Each variant and the field it is a variant of (src/identity/types.ts). */
const VARIANTS: readonly (readonly [variant: keyof HashedUser, base: keyof HashedUser])[] = [
  ['em_google', 'em'],
  ['em_reddit', 'em'],
  ['ph_e164', 'ph'],
  ['fn_meta', 'fn'],
  ['ln_meta', 'ln'],
  ['ge_pinterest', 'ge'],
];

const SAME_AS_BASE = 0;

function sameHashes(a: unknown, b: unknown): boolean {
  if (typeof a === 'string') return a === b;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The event as stored: without the raw contact (sealed apart, never in the body) and with repeated variants folded. */
export function encodeStoredBody(event: HashedEvent): string {
  const user = event.user as Record<string, unknown>;
  let folded: Record<string, unknown> | undefined;
  for (const [variant, base] of VARIANTS) {
    const value = user[variant];
    if (value === undefined || !sameHashes(value, user[base])) continue;
    // Spread once, then overwrite in place: the key keeps its position.
    folded ??= { ...user };
    folded[variant] = SAME_AS_BASE;
  }
  if (folded === undefined && event.contact === undefined) return JSON.stringify(event);
  const { contact: _contact, ...stored } = event;
  if (folded !== undefined) (stored as Record<string, unknown>).user = folded;
  return JSON.stringify(stored);
}

/** Every stored body is read through here: the event as it was before encodeStoredBody, old rows included. */
export function decodeStoredBody(body: string): HashedEvent {
  const event = JSON.parse(body) as HashedEvent;
  const user = event.user as Record<string, unknown> | undefined;
  if (user === undefined) return event;
  for (const [variant, base] of VARIANTS) {
    if (user[variant] !== SAME_AS_BASE) continue;
    const value = user[base];
    user[variant] = Array.isArray(value) ? value.slice() : value;
  }
  return event;
}
