import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormPost, PlatformResponse } from '../types.js';
import { fetchGoogleAccessToken, TokenExchangeError } from './oauth.js';
import { googleSettingsSchema } from './settings.js';

// A real token endpoint on loopback, answering as Google's does (RFC 6749 §5.1/§5.2).

interface Seen { method?: string; path?: string; contentType?: string; form: Record<string, string> }
const seen: Seen[] = [];
let server: Server;
let baseUrl: string;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    seen.push({ method: req.method, path: req.url, contentType: req.headers['content-type'], form });
    const answer = (status: number, body: object, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (form.refresh_token === 'good') return answer(200, { access_token: 'ya29.fresh', expires_in: 3599, token_type: 'Bearer' });
    if (form.refresh_token === 'busy') return answer(503, { error: 'temporarily_unavailable' }, { 'retry-after': '7' });
    return answer(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The FormPost the worker supplies: a real application/x-www-form-urlencoded POST. */
const post: FormPost = async (url, form) => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  const text = await r.text();
  const response: PlatformResponse = { status: r.status, headers: Object.fromEntries(r.headers), body: text ? JSON.parse(text) : '' };
  return response;
};

const settingsWith = (refresh_token: string) =>
  googleSettingsSchema.parse({
    id: 'g',
    platform: 'google',
    customer_id: '1234567890',
    api: 'google_ads',
    developer_token: 'dev',
    conversion_actions: {},
    oauth: { client_id: 'client-1', client_secret: 'shh', refresh_token },
    base_url: baseUrl,
  });

describe('fetchGoogleAccessToken', () => {
  it('exchanges the refresh token at base_url/token and returns the token with its expiry', async () => {
    const now = 1_764_000_000_000;
    const result = await fetchGoogleAccessToken(settingsWith('good'), post, now);
    expect(result).toEqual({ token: 'ya29.fresh', expiresAt: 1_764_000_000 + 3599 - 60 });
    expect(seen.at(-1)).toEqual({
      method: 'POST',
      path: '/token',
      contentType: 'application/x-www-form-urlencoded',
      form: { grant_type: 'refresh_token', client_id: 'client-1', client_secret: 'shh', refresh_token: 'good' },
    });
  });

  it('a revoked refresh token is an auth failure', async () => {
    const err = await fetchGoogleAccessToken(settingsWith('revoked'), post).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenExchangeError);
    expect((err as TokenExchangeError).error).toEqual({ kind: 'auth', code: 'invalid_grant', message: 'token exchange failed: invalid_grant (Token has been expired or revoked.)' });
  });

  it('an unavailable token endpoint is retryable after its Retry-After', async () => {
    const err = (await fetchGoogleAccessToken(settingsWith('busy'), post).catch((e: unknown) => e)) as TokenExchangeError;
    expect(err.kind).toBe('retryable');
    expect(err.retryAfterMs).toBe(7000);
  });

  it('without base_url the request goes to oauth2.googleapis.com/token', async () => {
    const urls: string[] = [];
    const recording: FormPost = async (url) => {
      urls.push(url);
      return { status: 200, headers: {}, body: { access_token: 't', expires_in: 3600 } };
    };
    await fetchGoogleAccessToken({ ...settingsWith('good'), base_url: undefined }, recording);
    expect(urls).toEqual(['https://oauth2.googleapis.com/token']);
  });
});
