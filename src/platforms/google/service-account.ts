import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { authFailure } from '../../errors.js';
import { TokenExchangeError } from './token-error.js';

// A Google Cloud service-account key file → a signed JWT for the OAuth 2.0 JWT bearer grant (RFC 7523 §2.1), as
// https://developers.google.com/identity/protocols/oauth2/service-account#authorizingrequests describes:
// header {alg: RS256, typ: JWT}, claims {iss: client_email, scope, aud: token endpoint, iat, exp ≤ iat + 1 h},
// signed with the key's `private_key` (RSA SHA-256). Signed with node:crypto — no Google client library.

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  /** Google's token endpoint, as the key file names it. */
  token_uri?: string;
}

/** Reads and checks the key file; a missing file or a key without the fields is an auth failure naming the file. */
export function readServiceAccountKey(path: string): ServiceAccountKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = (err as { code?: unknown }).code === 'ENOENT' ? 'not found' : err instanceof SyntaxError ? 'not JSON' : 'unreadable';
    throw new TokenExchangeError(authFailure('SERVICE_ACCOUNT_KEY_UNREADABLE', `service_account_key_file ${path}: ${why}`));
  }
  const key = parsed as Partial<Record<string, unknown>>;
  if (key?.type !== 'service_account' || typeof key.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new TokenExchangeError(
      authFailure('SERVICE_ACCOUNT_KEY_INVALID', `service_account_key_file ${path}: expected a service-account JSON key (type "service_account", client_email, private_key)`),
    );
  }
  return { client_email: key.client_email, private_key: key.private_key, ...(typeof key.token_uri === 'string' ? { token_uri: key.token_uri } : {}) };
}

const base64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

export function signServiceAccountJwt(key: ServiceAccountKey, scope: string, audience: string, nowSec: number): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = base64url(JSON.stringify({ iss: key.client_email, scope, aud: audience, iat: nowSec, exp: nowSec + 3600 }));
  const input = `${header}.${claims}`;
  let signature: Buffer;
  try {
    signature = createSign('RSA-SHA256').update(input).sign(key.private_key);
  } catch {
    throw new TokenExchangeError(authFailure('SERVICE_ACCOUNT_KEY_INVALID', `the private_key of ${key.client_email} cannot sign (not a PEM RSA key)`));
  }
  return `${input}.${base64url(signature)}`;
}
