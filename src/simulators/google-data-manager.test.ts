import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchGoogleAccessToken } from '../platforms/google/oauth.js';
import { googleSettingsSchema } from '../platforms/google/settings.js';
import type { FormPost } from '../platforms/types.js';
import { protoFieldPath } from './google-data-manager.js';
import { sha256, startSimClient, type SimClient } from './test-support.js';

// Hand-written Data Manager API wire JSON against the simulator over real HTTP.

let c: SimClient;
beforeAll(async () => {
  c = await startSimClient();
});
afterAll(async () => {
  await c.close();
});

const INGEST = '/v1/events:ingest';
const AUTH = { Authorization: 'Bearer ya29.token' };
const destination = { reference: '987', operatingAccount: { accountType: 'GOOGLE_ADS', accountId: '1234567890' }, productDestinationId: '987' };
let order = 0;
function event(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    destinationReferences: ['987'],
    transactionId: `dm-${++order}`,
    eventTimestamp: new Date(Date.now() - 3600_000).toISOString(),
    eventSource: 'WEB',
    conversionValue: 59.9,
    currency: 'USD',
    adIdentifiers: { gclid: 'Cj0KCQiA', landingPageDeviceInfo: { userAgent: 'Mozilla/5.0', ipAddress: '203.0.113.7' } },
    userData: { userIdentifiers: [{ emailAddress: sha256('cloudysanfrancisco@gmail.com') }, { phoneNumber: sha256('+18005550100') }] },
    consent: { adUserData: 'CONSENT_GRANTED', adPersonalization: 'CONSENT_GRANTED' },
    ...over,
  };
}
const ingest = (events: unknown[], over: Record<string, unknown> = {}) => c.post(INGEST, { destinations: [destination], events, encoding: 'HEX', ...over }, AUTH);
const status = (requestId: string) => c.request('GET', `/v1/requestStatus:retrieve?requestId=${encodeURIComponent(requestId)}`, { headers: AUTH });

describe('data manager simulator: events:ingest', () => {
  it('accepts a valid request with a requestId, and validateOnly with an empty answer', async () => {
    const res = await ingest([event(), event()]);
    expect(res.status).toBe(200);
    expect(res.json.requestId).toMatch(/^[0-9a-f]{32}$/);
    const validate = await ingest([event()], { validateOnly: true });
    expect(validate.status).toBe(200);
    expect(validate.json).toEqual({});
  });

  it('answers contract violations in Google’s error shape, naming the field of the failing event (fast fail)', async () => {
    const res = await ingest([event(), event({ currency: 'usd', conversion_value: 1 })]);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    const [info, bad] = res.json.error.details;
    expect(info).toMatchObject({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', domain: 'datamanager.googleapis.com' });
    expect(bad['@type']).toBe('type.googleapis.com/google.rpc.BadRequest');
    expect(bad.fieldViolations.map((v: { field: string; reason: string }) => [v.field, v.reason])).toEqual(
      expect.arrayContaining([
        ['events[1].conversion_value', 'INVALID_ARGUMENT'],
        ['events[1].currency', 'INVALID_FORMAT'],
      ]),
    );
  });

  it('refuses unhashed user data, a hashed postal code, two identifiers in one and more than 2000 events', async () => {
    const plain = await ingest([event({ userData: { userIdentifiers: [{ emailAddress: 'jane@example.com' }] } })]);
    expect(plain.json.error.details[1].fieldViolations[0]).toMatchObject({ field: 'events[0].user_data.user_identifiers[0].email_address', reason: 'INVALID_SHA256_FORMAT' });
    const address = { givenName: sha256('jane'), familyName: sha256('doe'), regionCode: 'US', postalCode: sha256('94025') };
    expect((await ingest([event({ userData: { userIdentifiers: [{ address }] } })])).status).toBe(400);
    expect((await ingest([event({ userData: { userIdentifiers: [{ emailAddress: sha256('a'), phoneNumber: sha256('b') }] } })])).status).toBe(400);
    const tooMany = await ingest(Array.from({ length: 2001 }, () => event()));
    expect(tooMany.json.error.details[0].reason).toBe('TOO_MANY_EVENTS');
  });

  it('refuses a missing token, a reference to no destination, and user data without encoding', async () => {
    expect((await c.post(INGEST, { destinations: [destination], events: [event()], encoding: 'HEX' })).status).toBe(401);
    const ref = await ingest([event({ destinationReferences: ['nope'] })]);
    expect(ref.json.error.details[1].fieldViolations[0]).toMatchObject({ field: 'events[0].destination_references[0]', reason: 'INVALID_DESTINATION' });
    const noEncoding = await c.post(INGEST, { destinations: [destination], events: [event()] }, AUTH);
    expect(noEncoding.json.error.details[1].fieldViolations[0]).toMatchObject({ field: 'encoding', reason: 'REQUIRED_FIELD_MISSING' });
  });

  it('maps contract paths to Google’s proto field paths', () => {
    expect(protoFieldPath('events.3.adIdentifiers.landingPageDeviceInfo.ipAddress')).toBe('events[3].ad_identifiers.landing_page_device_info.ip_address');
  });
});

describe('data manager simulator: requestStatus:retrieve', () => {
  it('reports SUCCESS, then FAILED / PARTIAL_SUCCESS with error counts for events Google could not process', async () => {
    const ok = await ingest([event()]);
    expect((await status(ok.json.requestId)).json).toEqual({
      requestStatusPerDestination: [{ destination, requestStatus: 'SUCCESS', eventsIngestionStatus: { recordCount: '1' } }],
    });

    const old = event({ eventTimestamp: '2020-01-01T00:00:00Z' });
    const denied = event({ consent: { adUserData: 'CONSENT_DENIED', adPersonalization: 'CONSENT_DENIED' } });
    const failed = await status((await ingest([old, denied])).json.requestId);
    expect(failed.json.requestStatusPerDestination[0]).toMatchObject({
      requestStatus: 'FAILED',
      errorInfo: { errorCounts: [{ reason: 'PROCESSING_ERROR_REASON_EVENT_TOO_OLD', recordCount: '1' }, { reason: 'PROCESSING_ERROR_REASON_DENIED_CONSENT', recordCount: '1' }] },
    });

    const repeat = event();
    await ingest([repeat]);
    const partial = await status((await ingest([{ ...repeat }, event()])).json.requestId);
    expect(partial.json.requestStatusPerDestination[0]).toMatchObject({ requestStatus: 'PARTIAL_SUCCESS', errorInfo: { errorCounts: [{ reason: 'PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID', recordCount: '1' }] } });
  });

  it('answers NOT_FOUND for an unknown request id', async () => {
    const res = await status('no-such-request');
    expect(res.status).toBe(404);
    expect(res.json.error.status).toBe('NOT_FOUND');
  });
});

describe('service-account credentials (JWT bearer grant) against the simulator’s token endpoint', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mk-sa-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const post: FormPost = async (url, form) => {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    return { status: r.status, headers: Object.fromEntries(r.headers), body: (await r.json()) as unknown };
  };

  it('signs an RS256 assertion with node:crypto and gets a Data Manager token', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyFile = join(dir, 'sa.json');
    writeFileSync(keyFile, JSON.stringify({ type: 'service_account', client_email: 'matchkey@project.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), token_uri: 'https://oauth2.googleapis.com/token' }));
    const settings = googleSettingsSchema.parse({ id: 'g', platform: 'google', customer_id: '1234567890', conversion_actions: {}, service_account_key_file: keyFile, base_url: c.sim.url });
    const got = await fetchGoogleAccessToken(settings, post);
    expect(got.token).toMatch(/^sim-/);
  });

  it('a missing or malformed key file is an auth failure naming the file', async () => {
    const missing = googleSettingsSchema.parse({ id: 'g', platform: 'google', customer_id: '1234567890', conversion_actions: {}, service_account_key_file: join(dir, 'none.json'), base_url: c.sim.url });
    await expect(fetchGoogleAccessToken(missing, post)).rejects.toMatchObject({ kind: 'auth', code: 'SERVICE_ACCOUNT_KEY_UNREADABLE', message: expect.stringContaining('none.json: not found') });
    writeFileSync(join(dir, 'user.json'), JSON.stringify({ type: 'authorized_user', client_id: 'x' }));
    const wrong = { ...missing, service_account_key_file: join(dir, 'user.json') };
    await expect(fetchGoogleAccessToken(wrong, post)).rejects.toMatchObject({ kind: 'auth', code: 'SERVICE_ACCOUNT_KEY_INVALID' });
  });
});
