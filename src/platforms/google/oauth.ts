import { authFailure, retryable } from '../../errors.js';
import { parseRetryAfter } from '../retry-after.js';
import { withBaseUrl, type FormPost } from '../types.js';
import { JWT_BEARER_GRANT, readServiceAccountKey, signServiceAccountJwt } from './service-account.js';
import type { GoogleSettings } from './settings.js';
import { TokenExchangeError } from './token-error.js';

export { TokenExchangeError } from './token-error.js';

// Access tokens from Google's token endpoint: the refresh-token grant (RFC 6749 §6) for `oauth`, the JWT bearer
// grant (RFC 7523) for `service_account_key_file`. With `base_url` the token request goes to the same host (path
// /token), so one simulator can stand in for both the token endpoint and the API.

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** OAuth scopes: the Data Manager API's own, and the Google Ads API's. */
export const DATA_MANAGER_SCOPE = 'https://www.googleapis.com/auth/datamanager';
export const GOOGLE_ADS_SCOPE = 'https://www.googleapis.com/auth/adwords';

export function googleScope(settings: GoogleSettings): string {
  return settings.api === 'google_ads' ? GOOGLE_ADS_SCOPE : DATA_MANAGER_SCOPE;
}

/** The grant form for the configured credentials (refresh token or service-account JWT). */
function grantForm(settings: GoogleSettings, nowMs: number): Record<string, string> {
  if (settings.service_account_key_file) {
    const key = readServiceAccountKey(settings.service_account_key_file);
    // `aud` is Google's token endpoint even through base_url: the simulator checks it like Google does.
    const assertion = signServiceAccountJwt(key, googleScope(settings), key.token_uri ?? GOOGLE_TOKEN_URL, Math.floor(nowMs / 1000));
    return { grant_type: JWT_BEARER_GRANT, assertion };
  }
  const oauth = settings.oauth!;
  return { grant_type: 'refresh_token', client_id: oauth.client_id, client_secret: oauth.client_secret, refresh_token: oauth.refresh_token };
}

function field(body: unknown, name: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
}

export async function fetchGoogleAccessToken(settings: GoogleSettings, post: FormPost, nowMs = Date.now()): Promise<{ token: string; expiresAt: number }> {
  if (!settings.oauth && !settings.service_account_key_file) {
    if (settings.access_token) return { token: settings.access_token, expiresAt: Number.MAX_SAFE_INTEGER };
    throw new TokenExchangeError(authFailure('NO_CREDENTIALS', 'no oauth settings, no service_account_key_file and no access_token'));
  }
  const tokenUrl = withBaseUrl(GOOGLE_TOKEN_URL, settings.base_url);
  const response = await post(tokenUrl, grantForm(settings, nowMs));
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
