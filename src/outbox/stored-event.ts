import type { HashedEvent, HashedUser } from '../identity/types.js';

// How an event is stored, by both stores: its JSON (never with the raw contact) with the identity hashes taken out
// and kept once each, in binary, in a column of their own. An event's ~11 SHA-256 values were ~40% of its JSON:
// 64 hex characters each, under several keys when a platform's variant normalizes to the base value (em_google,
// em_reddit and em are usually one hash; fn_meta and fn too). Here each distinct hash is 32 bytes, and a field holds
// its index: `"em":[0],"em_google":[0]` and 32 bytes instead of two 66-character strings. The rest of the JSON is
// unchanged, so the stores' SQL that reads a field of it (event_time, commerce.order_id) still does.

/** The hashed fields of HashedUser (identity/types.ts): a string or a list of strings, each a SHA-256 in hex. */
const HASHED_USER_FIELDS = [
  'em',
  'em_google',
  'em_reddit',
  'ph',
  'ph_e164',
  'external_id',
  'fn',
  'ln',
  'fn_meta',
  'ln_meta',
  'ge',
  'ge_pinterest',
  'db',
  'ct',
  'st',
  'zp',
  'country',
  'street',
] as const satisfies readonly (keyof HashedUser)[];
/** Looked up per key of the user object: one pass over its own keys, not a probe per hashed field. */
const HASHED: Readonly<Record<string, true | undefined>> = Object.freeze(Object.fromEntries(HASHED_USER_FIELDS.map((f) => [f, true as const])));

const SHA256_BYTES = 32;

/** The two columns of a stored event. `hashes` is null when the event has no hashed field. */
export interface StoredEventColumns {
  body: string;
  hashes: Buffer | null;
}

/** The event as stored: everything but the raw contact (sealed onto the rows that need it, never in the body). */
export function encodeStoredEvent(event: HashedEvent): StoredEventColumns {
  const user = event.user as Record<string, unknown>;
  const hashes = new HashTable();
  // The user object rebuilt key by key in its own order (cheaper than a spread, then a rewrite of the hashed keys).
  const stored: Record<string, unknown> = {};
  for (const key in user) {
    const value = user[key];
    if (HASHED[key] !== true) stored[key] = value;
    else if (Array.isArray(value)) {
      const refs: unknown[] = [];
      for (let i = 0; i < value.length; i++) refs.push(hashes.indexOf(value[i]));
      stored[key] = refs;
    } else stored[key] = hashes.indexOf(value);
  }
  return { body: stringifyStored(event, stored), hashes: hashes.bytes() };
}

/** Where an event's hashes are written as they are met; copied out at their exact size (encoding is synchronous). */
let scratch = Buffer.allocUnsafe(64 * SHA256_BYTES);

/** An event's distinct hashes, written in binary as they are met. */
class HashTable {
  private readonly hex: string[] = [];

  /**
   * The index of a hash among the event's distinct ones. hashOnce only puts SHA-256 in lowercase hex in these
   * fields (identity/hash.ts); anything that is not 64 hex digits, which a body must not be trusted not to hold,
   * stays as it is. Hex digits are read in either case and come back in lowercase, the form every platform takes.
   */
  indexOf(value: unknown): unknown {
    if (typeof value !== 'string' || value.length !== 2 * SHA256_BYTES) return value;
    const known = this.hex.indexOf(value);
    if (known >= 0) return known;
    const i = this.hex.length;
    if (scratch.length < (i + 1) * SHA256_BYTES) {
      const grown = Buffer.allocUnsafe(scratch.length * 2);
      scratch.copy(grown);
      scratch = grown;
    }
    if (scratch.write(value, i * SHA256_BYTES, SHA256_BYTES, 'hex') !== SHA256_BYTES) return value;
    this.hex.push(value);
    return i;
  }

  bytes(): Buffer | null {
    const n = this.hex.length * SHA256_BYTES;
    if (n === 0) return null;
    // Pooled (allocUnsafe), as seal.ts's blobs: a posted slice carries its pool along, but one pool per hand-off.
    const out = Buffer.allocUnsafe(n);
    scratch.copy(out, 0, 0, n);
    return out;
  }
}

/**
 * The event's JSON with `user` in place of its own and without its contact. Swapped on the event for the one
 * synchronous stringify and put back, rather than spread into a copy: a copy of the ~15 keys was ~2 µs of every
 * ingested event (JSON.stringify takes its fast path on the event's own shape; `undefined` properties are left out).
 */
function stringifyStored(event: HashedEvent, user: Record<string, unknown>): string {
  if (Object.isFrozen(event)) {
    const { contact: _contact, user: _user, ...rest } = event;
    return JSON.stringify({ ...rest, user });
  }
  const mutable = event as { user: unknown; contact?: unknown };
  const own = mutable.user;
  const contact = mutable.contact;
  mutable.user = user;
  if (contact !== undefined) mutable.contact = undefined;
  try {
    return JSON.stringify(event);
  } finally {
    mutable.user = own;
    if (contact !== undefined) mutable.contact = contact;
  }
}

/**
 * The event back from its two columns. `hashes` null: a body stored before the hashes had a column of their own
 * (hex inline), or one without hashed fields; either reads as it is.
 */
export function decodeStoredEvent(body: string, hashes: Uint8Array | null): HashedEvent {
  const event = JSON.parse(body) as HashedEvent;
  if (hashes === null) return event;
  const table = new HexTable(Buffer.isBuffer(hashes) ? hashes : Buffer.from(hashes.buffer, hashes.byteOffset, hashes.byteLength));
  const user = event.user as Record<string, unknown>;
  for (const key in user) {
    if (HASHED[key] !== true) continue;
    const value = user[key];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = table.at(value[i], key);
    } else user[key] = table.at(value, key);
  }
  return event;
}

/** A row's hashes back in hex, each distinct one converted once however many fields share it. */
class HexTable {
  private readonly hex: (string | undefined)[];

  constructor(private readonly bytes: Buffer) {
    this.hex = new Array<string | undefined>(bytes.length / SHA256_BYTES);
  }

  at(value: unknown, field: string): unknown {
    if (typeof value !== 'number') return value;
    if (!Number.isInteger(value) || value < 0 || value >= this.hex.length) {
      throw new Error(`stored event: user.${field} refers to hash ${value}, but the row holds ${this.hex.length}`);
    }
    return (this.hex[value] ??= this.bytes.toString('hex', value * SHA256_BYTES, (value + 1) * SHA256_BYTES));
  }
}
