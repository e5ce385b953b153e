import { authFailure, retryable, type DeliveryError } from '../../errors.js';
import { parseRetryAfter } from '../retry-after.js';
import { withBaseUrl, type FormPost } from '../types.js';
import type { GoogleSettings } from './settings.js';

// OAuth 2.0 refresh-token grant (RFC 6749 §6) against Google's token endpoint. With `base_url` the token request
// goes to the same host (path /token), so one simulator can stand in for both the token and the Ads API.

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** A failed token exchange, carrying its DeliveryError so the worker can treat it like a classified answer. */
export class TokenExchangeError extends Error {
  readonly kind: DeliveryError['kind'];
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  constructor(readonly error: DeliveryError) {
    super(error.message);
    this.name = 'TokenExchangeError';
    this.kind = error.kind;
    this.code = error.code;
    this.retryAfterMs = error.kind === 'retryable' ? error.retryAfterMs : undefined;
  }
}

function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

export async function fetchGoogleAccessToken(settings: GoogleSettings, post: FormPost, nowMs = Date.now()): Promise<{ token: string; expiresAt: number }> {
  if (!settings.oauth) {
    if (settings.access_token) return { token: settings.access_token, expiresAt: Number.MAX_SAFE_INTEGER };
    throw new TokenExchangeError(authFailure('NO_CREDENTIALS', 'no oauth settings and no access_token'));
  }
  const response = await post(withBaseUrl(GOOGLE_TOKEN_URL, settings.base_url), {
    grant_type: 'refresh_token',
    client_id: settings.oauth.client_id,
    client_secret: settings.oauth.client_secret,
    refresh_token: settings.oauth.refresh_token,
  });
  const error = field(response.body, 'error');
  if (response.status >= 200 && response.status < 300) {
    const token = field(response.body, 'access_token');
    const expiresIn = field(response.body, 'expires_in');
    if (typeof token !== 'string' || token === '') {
      throw new TokenExchangeError(retryable('TOKEN_RESPONSE_INVALID', 'token endpoint answered without access_token'));
    }
    // Refresh a minute early so a token never expires between building and sending a request.
    const lifetime = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 3600;
    return { token, expiresAt: Math.floor(nowMs / 1000) + Math.max(0, lifetime - 60) };
  }
  const code = typeof error === 'string' ? error : `HTTP_${response.status}`;
  const description = field(response.body, 'error_description');
  const message = `token exchange failed: ${code}${typeof description === 'string' ? ` (${description})` : ''}`;
  if (response.status === 429 || response.status >= 500) {
    throw new TokenExchangeError(retryable(code, message, parseRetryAfter(response.headers['retry-after'], nowMs)));
  }
  // invalid_grant (revoked/expired refresh token), invalid_client, unauthorized_client: operator must fix.
  throw new TokenExchangeError(authFailure(code, message));
}
