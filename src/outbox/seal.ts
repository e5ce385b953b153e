import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { InputError } from '../errors.js';
import type { PlainContact } from '../identity/types.js';

// Klaviyo is the one platform that takes email and phone unhashed (src/platforms/klaviyo/README.md), so its
// delivery rows carry the contact sealed with AES-256-GCM: a copy of the database alone reveals nothing.
// Layout of a sealed blob: version (1 byte) | IV (12) | auth tag (16) | ciphertext. The event_id is bound as
// additional data so a blob copied onto another row fails to open instead of sending someone else's contact.

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Reads MATCHKEY_SECRET_KEY: 64 hex characters or base64 of exactly 32 bytes. */
export function parseSecretKey(value: string | undefined, path = 'MATCHKEY_SECRET_KEY'): Buffer | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length === 32) return bytes;
  }
  // Never echo the value: it is a secret.
  throw new InputError(path, 'expected 32 random bytes as 64 hex characters or base64 (e.g. `openssl rand -hex 32`)', 'invalid_secret_key');
}

export function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new InputError('MATCHKEY_SECRET_KEY', 'expected a 32-byte key', 'invalid_secret_key');
}

// IVs come from a pool filled by one CSPRNG call per 256 seals (one call per seal was 9% of ingest CPU); each
// slice is handed out once and never reused, so every IV is still fresh random (GCM's requirement).
const IV_POOL_SIZE = IV_BYTES * 256;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
function freshIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomFillSync(Buffer.allocUnsafe(IV_POOL_SIZE));
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

export function sealContact(contact: PlainContact, key: Buffer, eventId: string): Buffer {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(eventId, 'utf8'));
  const body = cipher.update(JSON.stringify(contact), 'utf8');
  const rest = cipher.final(); // empty for GCM, which is a stream mode; kept in case it ever is not
  const head = 1 + IV_BYTES + TAG_BYTES;
  // Written once into one buffer (it was two concatenations). Pooled memory, measured cheaper than a blob-sized
  // ArrayBuffer of its own even though a posted slice carries its pool along.
  const blob = Buffer.allocUnsafe(head + body.length + rest.length);
  blob[0] = VERSION;
  iv.copy(blob, 1);
  cipher.getAuthTag().copy(blob, 1 + IV_BYTES);
  body.copy(blob, head);
  if (rest.length > 0) rest.copy(blob, head + body.length);
  return blob;
}

/** Throws when the blob was sealed with another key or for another event (GCM authentication fails). */
export function unsealContact(blob: Uint8Array, key: Buffer, eventId: string): PlainContact {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 1 + IV_BYTES + TAG_BYTES || buf[0] !== VERSION) throw new Error('sealed contact: unknown format');
  const iv = buf.subarray(1, 1 + IV_BYTES);
  const tag = buf.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(eventId, 'utf8'));
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(buf.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as PlainContact;
}

/**
 * Opens the sealed contacts of claimed rows for one store. A contact that cannot be opened (no key, or a key
 * rotated without re-sealing) is dropped — the Klaviyo request then goes without it and the platform says why —
 * and the first such row is logged once, by delivery id only.
 */
export class ContactOpener {
  private warned = false;

  constructor(
    private readonly key: Buffer | undefined,
    private readonly logger?: { error(obj: object, msg?: string): void },
  ) {}

  open(blob: Uint8Array, eventId: string, deliveryId: number): PlainContact | undefined {
    if (this.key) {
      try {
        return unsealContact(blob, this.key, eventId);
      } catch {
        // Wrong key: fall through to the warning.
      }
    }
    if (!this.warned) {
      this.warned = true;
      this.logger?.error({ delivery_id: deliveryId }, 'outbox: a sealed contact cannot be opened with the configured MATCHKEY_SECRET_KEY');
    }
    return undefined;
  }
}
