import type { LoadedConfig } from '../config/load.js';
import { wireKeysPerEvent } from '../diagnostics/wire-keys.js';
import { InputError, type DeliveryError } from '../errors.js';
import { parseCanonicalEvent } from '../event/parse.js';
import type { CanonicalEventInput } from '../event/schema.js';
import { hashOnce } from '../identity/hash-once.js';
import { PLATFORMS } from '../platforms/registry.js';
import { describeNetworkError } from '../delivery/http.js';
import type { CommonSettings, FormPost, PlatformResponse } from '../platforms/types.js';

// `matchkey send-test`: the "is it really firing?" check operators run after set-up (docs/CONFIGURATION.md). One
// realistic purchase goes through the destination's test mode (Meta/TikTok test_event_code, Pinterest test=true,
// Google validateOnly), synchronously: build → POST → classify, and the report says which match keys it carried.

export interface SendTestResult {
  destination_id: string;
  platform: string;
  test_mode: boolean;
  url: string;
  /** The platform's wire names of the match keys the request carried (em, ph, ttclid, hashedEmail, …). */
  keys: string[];
  status: number;
  /** The platform's answer body (JSON when it was JSON). */
  answer: unknown;
  result: { ok: true } | { ok: false; error: DeliveryError };
  /** Set when the platform's own rule keeps this event from being sent there. */
  skipped?: string;
}

/** A purchase with every key a shop usually has, dated now, with a fresh order id so no platform dedups it away. */
export function testPurchase(now: number): CanonicalEventInput {
  const orderId = `send-test-${now}`;
  return {
    event_name: 'purchase',
    event_time: now,
    action_source: 'website',
    event_source_url: 'https://shop.example/checkouts/thank_you',
    user: {
      email: 'matchkey.send-test@example.com',
      phone: '+16505550123',
      first_name: 'Matchkey',
      last_name: 'Sendtest',
      city: 'Menlo Park',
      state: 'CA',
      zip: '94025',
      country: 'US',
      external_id: 'matchkey-send-test',
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
      fbp: `fb.1.${(now - 3600) * 1000}.1234567890`,
      fbclid: 'IwAR0MatchkeySendTest',
      click_time: now - 3600,
      ttclid: 'E.C.P.MatchkeySendTest',
      gclid: 'Cj0KCQMatchkeySendTest',
    },
    commerce: { order_id: orderId, value: 42.5, currency: 'USD', items: [{ id: 'SEND-TEST-1', name: 'Matchkey test item', quantity: 1, price: 42.5 }] },
  };
}

export interface SendTestOptions {
  config: LoadedConfig;
  destinationId: string;
  /** Meta/TikTok: the code of Events Manager's Test events tab, instead of the destination's test_event_code. */
  testEventCode?: string;
  /** Klaviyo has no test mode: sending means a real (clearly labelled) test profile. */
  allowLive?: boolean;
  now?: number;
}

export async function sendTest(opts: SendTestOptions): Promise<SendTestResult> {
  const index = opts.config.destinations.findIndex((d) => d.id === opts.destinationId);
  const destination = opts.config.destinations[index];
  if (!destination) {
    const known = opts.config.destinations.map((d) => d.id).join(', ') || 'none';
    throw new InputError('--destination', `no enabled destination "${opts.destinationId}" (configured: ${known})`, 'unknown_destination');
  }
  const platform = PLATFORMS[destination.platform];
  if (opts.testEventCode !== undefined && destination.platform !== 'meta' && destination.platform !== 'tiktok') {
    throw new InputError('--test-event-code', `only Meta and TikTok take a test event code; ${destination.platform} does not`, 'no_test_event_code');
  }
  const settings: CommonSettings = { ...destination, test: true, ...(opts.testEventCode !== undefined ? { test_event_code: opts.testEventCode } : {}) };
  const testMode = platform.isTestMode(settings);
  if (!testMode && !opts.allowLive) {
    throw new InputError(
      '--destination',
      destination.platform === 'microsoft'
        ? 'Microsoft UET Conversions API has no test mode: the test event would be a real conversion; pass --allow-live to send it anyway'
        : destination.platform === 'klaviyo'
        ? 'Klaviyo has no test mode: the test event would create a real profile (matchkey.send-test@example.com); pass --allow-live to send it anyway'
        : `destination "${destination.id}" cannot be put in test mode as configured (Meta and TikTok need test_event_code); set it, or pass --allow-live`,
      'no_test_mode',
    );
  }
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const event = hashOnce(parseCanonicalEvent(testPurchase(now)), {
    ...(opts.config.default_country ? { defaultCountry: opts.config.default_country } : {}),
    serverIps: opts.config.server_ips,
  });
  const timeoutMs = opts.config.delivery.request_timeout_ms;
  const skipped = platform.skipReason(event, settings);
  const accessToken = platform.fetchAccessToken ? (await platform.fetchAccessToken(settings, formPost(timeoutMs))).token : undefined;
  const request = platform.buildRequest([event], settings, accessToken === undefined ? { now } : { now, accessToken });
  const response = await postJson(request.url, request.headers, request.body, timeoutMs);
  const classified = platform.classify(response, 1);
  const result: SendTestResult = {
    destination_id: destination.id,
    platform: destination.platform,
    test_mode: testMode,
    url: stripQuerySecrets(request.url),
    keys: [...(wireKeysPerEvent(destination.platform, request.body)?.[0] ?? [])],
    status: response.status,
    answer: response.body,
    result: classified.results[0] ?? { ok: false, error: { kind: 'permanent', code: 'no_result', message: 'the platform answer held no result for the event' } },
  };
  if (skipped) result.skipped = skipped;
  return result;
}

/** Shown URLs keep the path and the test switch, never a token that a platform takes in the query. */
function stripQuerySecrets(url: string): string {
  const u = new URL(url);
  for (const key of [...u.searchParams.keys()]) if (/token|key|secret/i.test(key)) u.searchParams.set(key, '***');
  return u.toString();
}

export async function postJson(url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<PlatformResponse> {
  return readResponse(await fetchNamingHost(url, { method: 'POST', headers, body: JSON.stringify(body) }, timeoutMs));
}

/** fetch, whose network failure says which host and why (DNS, refused, TLS, timeout) instead of "fetch failed". */
async function fetchNamingHost(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new Error(describeNetworkError(err, new URL(url), timeoutMs).message);
  }
}

function formPost(timeoutMs: number): FormPost {
  return async (url, form) => {
    const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() };
    return readResponse(await fetchNamingHost(url, init, timeoutMs));
  };
}

async function readResponse(res: Response): Promise<PlatformResponse> {
  const text = await res.text();
  let body: unknown = text;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key] = value;
  });
  return { status: res.status, headers, body };
}
