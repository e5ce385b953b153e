import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { gatewaySkipReason, maskSecrets, previewEvents, secretValues } from '../../src/cli/commands/preview.js';
import { google } from '../../src/platforms/google/index.js';
import { klaviyo } from '../../src/platforms/klaviyo/index.js';
import type { CommonSettings, Platform } from '../../src/platforms/types.js';

const NOW = 1_795_000_000;
const purchase = (n: number, extra: object = {}) => ({
  event_id: `order_${n}`,
  event_name: 'purchase',
  event_time: NOW - 60,
  user: { email: `shopper${n}@example.com`, gclid: `gclid-${n}` },
  commerce: { value: 10 * n, currency: 'EUR', order_id: String(n) },
  ...extra,
});

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('secret masking', () => {
  const settings = { id: 'g', platform: 'google', developer_token: 'dev-SECRET', oauth: { client_secret: 'cs', refresh_token: 'rt/+x' }, access_token: undefined } as unknown as CommonSettings;

  it('follows dotted paths and skips absent settings', () => {
    expect(secretValues(settings, ['developer_token', 'oauth.refresh_token', 'access_token', 'oauth.missing'])).toEqual(['dev-SECRET', 'rt/+x']);
  });

  it('masks secrets in URL, headers and body, also URL-encoded', () => {
    const masked = maskSecrets(
      { url: 'https://x/?token=rt%2F%2Bx', headers: { a: 'Bearer dev-SECRET' }, body: { nested: ['dev-SECRET', 5, null], keep: 'public' } },
      ['dev-SECRET', 'rt/+x'],
    );
    expect(masked).toEqual({ url: 'https://x/?token=***', headers: { a: 'Bearer ***' }, body: { nested: ['***', 5, null], keep: 'public' } });
  });
});

describe('gatewaySkipReason', () => {
  const hashedWith = (marketing: boolean, age: number) =>
    ({ event_name: 'purchase', consent: { marketing, limited_data_use: false }, event_time: NOW - age, user: { gclid: 'g' }, contact: { email: 'a@b.co' } }) as Parameters<typeof gatewaySkipReason>[0];
  const g = google as Platform<any>;
  const k = klaviyo as Platform<any>;

  it('applies the ingest plan: no marketing consent, no delivery (to any destination)', () => {
    expect(gatewaySkipReason(hashedWith(false, 0), g, google.placeholderSettings, NOW)).toBe('consent_denied');
    expect(gatewaySkipReason(hashedWith(false, 0), k, klaviyo.placeholderSettings, NOW)).toBe('consent_denied');
    expect(gatewaySkipReason(hashedWith(true, 0), k, klaviyo.placeholderSettings, NOW)).toBeNull();
  });

  it("then the platform's own rule", () => {
    expect(gatewaySkipReason({ ...hashedWith(true, 0), event_name: 'page_view' }, k, klaviyo.placeholderSettings, NOW)).toBe('no_klaviyo_metric');
  });

  it('drops events older than the platform accepts, as the worker does', () => {
    expect(gatewaySkipReason(hashedWith(true, 91 * 86400), g, google.placeholderSettings, NOW)).toBe('too_old');
    expect(gatewaySkipReason(hashedWith(true, 89 * 86400), g, google.placeholderSettings, NOW)).toBeNull();
  });
});

describe('previewEvents', () => {
  const inputs = (events: object[]) => events.map((raw, i) => ({ raw, prefix: [i], source: 'test' }));

  it('batches by the platform maximum: Google takes all in one request, Klaviyo one per request', () => {
    const events = [purchase(1), purchase(2), purchase(3)];
    const g = previewEvents(inputs(events), { platform: google as Platform<any>, settings: google.placeholderSettings, identity: {}, nowSec: NOW });
    expect(g.requests).toHaveLength(1);
    expect((g.requests[0]!.body as { events: unknown[] }).events).toHaveLength(3);
    const k = previewEvents(inputs(events), { platform: klaviyo as Platform<any>, settings: klaviyo.placeholderSettings, identity: {}, nowSec: NOW });
    expect(k.requests).toHaveLength(3);
    expect(k.requests.map((r) => (r.body as { data: { attributes: { unique_id: string } } }).data.attributes.unique_id)).toEqual(['order_1', 'order_2', 'order_3']);
  });

  it('reports skips with their reason and findings without the value', () => {
    const events = [purchase(1, { event_name: 'add_to_cart' }), purchase(2, { user: { email: 'not-an-email', gclid: 'g' } }), purchase(3, { consent: { marketing: false } })];
    const r = previewEvents(inputs(events), { platform: google as Platform<any>, settings: google.placeholderSettings, identity: {}, nowSec: NOW });
    expect(r.skipped).toEqual([
      { event_id: 'order_1', reason: 'no_conversion_action' },
      { event_id: 'order_3', reason: 'consent_denied' },
    ]);
    expect(r.findings).toContainEqual(expect.objectContaining({ event_id: 'order_2', code: 'EMAIL_INVALID', field: 'user.email' }));
    expect(JSON.stringify(r.findings)).not.toContain('not-an-email');
    expect(r.requests).toHaveLength(1);
  });

  it('shows the Google token as *** and masks configured secrets', () => {
    const settings = { ...google.placeholderSettings, api: 'google_ads', developer_token: 'real-dev-token' };
    const r = previewEvents(inputs([purchase(1)]), { platform: google as Platform<any>, settings, identity: {}, nowSec: NOW });
    expect(r.requests[0]!.headers).toMatchObject({ Authorization: 'Bearer ***', 'developer-token': '***' });
    expect(JSON.stringify(r)).not.toContain('real-dev-token');
  });

  it('throws the schema error naming the event index and field', () => {
    const err = thrown(() => previewEvents(inputs([purchase(1), { event_name: 'purchase', event_time: NOW, user: { lastName: 'x' } }]), { platform: google as Platform<any>, settings: google.placeholderSettings, identity: {}, nowSec: NOW }));
    expect(err.path).toBe('1.user');
    expect(err.message).toMatch(/unknown field "lastName" \(did you mean "last_name"\?\)/);
  });
});
