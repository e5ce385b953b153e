import { hash, timingSafeEqual } from 'node:crypto';

// Bearer tokens (ingest api keys, admin token) are compared timing-safe. Both sides are hashed first so the
// buffers always have the same length (timingSafeEqual requires it) and the length of a key leaks nothing.

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

export function tokenDigest(token: string): Buffer {
  return Buffer.from(hash('sha256', token, 'hex'), 'hex');
}

/** Precomputes the digests of the accepted tokens; the returned check runs against every one of them. */
export function tokenMatcher(accepted: readonly string[]): (given: string | undefined) => boolean {
  const digests = accepted.filter((t) => t.length > 0).map(tokenDigest);
  return (given) => {
    if (given === undefined || digests.length === 0) return false;
    const candidate = tokenDigest(given);
    let ok = false;
    for (const digest of digests) if (timingSafeEqual(candidate, digest)) ok = true;
    return ok;
  };
}
