import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256, startSimClient, type SimClient } from './test-support.js';

// Hand-written Google Ads REST wire JSON (src/platforms/google/README.md) against the simulator over real HTTP.

let c: SimClient;
beforeAll(async () => {
  c = await startSimClient();
});
afterAll(async () => {
  await c.close();
});

const CID = '1234567890';
const CLICKS = `/v23/customers/${CID}:uploadClickConversions`;
const ADJUSTMENTS = `/v23/customers/${CID}:uploadConversionAdjustments`;
const HEADERS = { Authorization: 'Bearer ya29.token', 'developer-token': 'dev-token', 'login-customer-id': '9876543210' };
const ACTION = `customers/${CID}/conversionActions/987`;

function click(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    gclid: 'Cj0KCQiA',
    conversionAction: ACTION,
    conversionDateTime: '2026-01-10 11:00:00-05:00',
    conversionValue: 59.9,
    currencyCode: 'USD',
    orderId: '1001',
    userIdentifiers: [{ hashedEmail: sha256('janedoe@gmail.com') }, { hashedPhoneNumber: sha256('+16505551212') }],
    consent: { adUserData: 'GRANTED' },
    ...over,
  };
}

type GoogleError = { errorCode: Record<string, string>; location: { fieldPathElements: Array<{ fieldName: string; index?: number }> } };

describe('google ads simulator: OAuth token', () => {
  it('exchanges a refresh token for a short-lived access token', async () => {
    const res = await c.request('POST', '/token', { form: { grant_type: 'refresh_token', client_id: 'id', client_secret: 'secret', refresh_token: 'rt' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
    expect(res.json.access_token).toMatch(/^sim-/);
  });

  it('answers OAuth errors for a bad exchange', async () => {
    const noRefresh = await c.request('POST', '/token', { form: { grant_type: 'refresh_token', client_id: 'id', client_secret: 's' } });
    expect(noRefresh.status).toBe(400);
    expect(noRefresh.json.error).toBe('invalid_request');
    const wrongGrant = await c.request('POST', '/token', { form: { grant_type: 'password', client_id: 'id', client_secret: 's', refresh_token: 'rt' } });
    expect(wrongGrant.json.error).toBe('unsupported_grant_type');
    const revoked = await c.request('POST', '/token', { form: { grant_type: 'refresh_token', client_id: 'id', client_secret: 's', refresh_token: 'expired-rt' } });
    expect(revoked.json.error).toBe('invalid_grant');
  });
});

describe('google ads simulator: uploadClickConversions', () => {
  it('accepts valid rows: 200 with one result per row and no partialFailureError', async () => {
    const res = await c.post(CLICKS, { conversions: [click(), click({ orderId: '1002', gclid: undefined, gbraid: 'gb1' })], partialFailure: true }, HEADERS);
    expect(res.status).toBe(200);
    expect(res.json.partialFailureError).toBeUndefined();
    expect(res.json.results).toHaveLength(2);
    expect(res.json.results[0]).toMatchObject({ gclid: 'Cj0KCQiA', conversionAction: ACTION, conversionDateTime: '2026-01-10 11:00:00-05:00' });
    expect(typeof res.json.jobId).toBe('string');
  });

  it('reports bad rows in partialFailureError with their index, and empty results there', async () => {
    await c.request('DELETE', '/_sim/requests');
    const rows = [
      click(),
      click({ orderId: '1002', userIdentifiers: [{ hashedEmail: 'janedoe@gmail.com' }] }),
      click({ orderId: '1003', userIdentifiers: [{ addressInfo: { hashedFirstName: sha256('jane'), countryCode: 'US' } }] }),
      click({ orderId: '1004', conversionDateTime: '2026-01-10T11:00:00Z' }),
    ];
    const res = await c.post(CLICKS, { conversions: rows, partialFailure: true }, HEADERS);
    expect(res.status).toBe(200);
    const pfe = res.json.partialFailureError;
    expect(pfe.code).toBe(3);
    expect(typeof pfe.message).toBe('string');
    expect(pfe.message).not.toContain('janedoe@gmail.com');
    expect(pfe.details[0]['@type']).toBe('type.googleapis.com/google.ads.googleads.v23.errors.GoogleAdsFailure');
    const errors = pfe.details[0].errors as GoogleError[];
    expect(errors.map((e) => e.location.fieldPathElements[0])).toEqual([
      { fieldName: 'conversions', index: 1 },
      { fieldName: 'conversions', index: 2 },
      { fieldName: 'conversions', index: 3 },
    ]);
    expect(errors[0]!.errorCode).toEqual({ conversionUploadError: 'INVALID_USER_IDENTIFIER' });
    expect(errors[1]!.errorCode).toEqual({ conversionUploadError: 'UNSUPPORTED_USER_IDENTIFIER' });
    expect(errors[2]!.errorCode).toEqual({ dateError: 'INVALID_FIELD_VALUES_IN_DATE_TIME' });
    expect(res.json.results[0]).toMatchObject({ conversionAction: ACTION });
    expect(res.json.results.slice(1)).toEqual([{}, {}, {}]);
    const stats = (await c.get('/_sim/stats')).json.totals.google;
    expect(stats).toMatchObject({ events_accepted: 1, events_rejected: 3 });
  });

  it('refuses the request unless partialFailure is true', async () => {
    const res = await c.post(CLICKS, { conversions: [click()] }, HEADERS);
    expect(res.status).toBe(400);
    expect(res.json.error.status).toBe('INVALID_ARGUMENT');
    expect(res.json.error.details[0].errors[0].errorCode).toEqual({ partialFailureError: 'PARTIAL_FAILURE_MODE_REQUIRED' });
  });

  it('needs Authorization and developer-token headers, and a digits-only login-customer-id', async () => {
    const body = { conversions: [click()], partialFailure: true };
    const noAuth = await c.post(CLICKS, body, { 'developer-token': 'dev' });
    expect(noAuth.status).toBe(401);
    expect(noAuth.json.error.status).toBe('UNAUTHENTICATED');
    const noDev = await c.post(CLICKS, body, { Authorization: 'Bearer t' });
    expect(noDev.status).toBe(400);
    expect(noDev.json.error.details[0].errors[0].errorCode).toEqual({ requestError: 'DEVELOPER_TOKEN_PARAMETER_MISSING' });
    const dashed = await c.post(CLICKS, body, { ...HEADERS, 'login-customer-id': '987-654-3210' });
    expect(dashed.status).toBe(400);
  });

  it('refuses what the proto-JSON parser refuses: unknown fields and two identifiers in one', async () => {
    const unknown = await c.post(CLICKS, { conversions: [click({ conversionActionId: '987' })], partialFailure: true }, HEADERS);
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('conversionActionId');
    const oneof = await c.post(CLICKS, {
      conversions: [click({ userIdentifiers: [{ hashedEmail: sha256('a@b.co'), hashedPhoneNumber: sha256('+15555550100') }] })],
      partialFailure: true,
    }, HEADERS);
    expect(oneof.status).toBe(400);
    expect(oneof.json.error.status).toBe('INVALID_ARGUMENT');
  });

  it('answers a request outside its contract (adPersonalization on a click conversion) as the proto-JSON parser does', async () => {
    const res = await c.post(CLICKS, { conversions: [click({ consent: { adUserData: 'GRANTED', adPersonalization: 'GRANTED' } })], partialFailure: true }, HEADERS);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ status: 'INVALID_ARGUMENT' });
    expect(res.json.error.details[0].fieldViolations[0]).toMatchObject({ field: 'conversions[0].consent.ad_personalization' });
  });

  it('accepts snake_case field names as proto JSON does', async () => {
    const row = { gclid: 'Cj0', conversion_action: ACTION, conversion_date_time: '2026-01-10 11:00:00+00:00', user_identifiers: [{ hashed_email: sha256('a@b.co') }] };
    const res = await c.post(CLICKS, { conversions: [row], partial_failure: true }, HEADERS);
    expect(res.status).toBe(200);
    expect(res.json.partialFailureError).toBeUndefined();
  });

  it('checks the conversion action, click ids and identifier count per row', async () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ hashedEmail: sha256(`u${i}@b.co`) }));
    const rows = [
      click({ conversionAction: 'customers/1111111111/conversionActions/987' }),
      click({ orderId: 'b', gclid: undefined, gbraid: 'g', wbraid: 'w' }),
      click({ orderId: 'c', userIdentifiers: six }),
      click({ orderId: 'c' }),
    ];
    const res = await c.post(CLICKS, { conversions: rows, partialFailure: true }, HEADERS);
    const codes = (res.json.partialFailureError.details[0].errors as GoogleError[]).map((e) => e.errorCode);
    expect(codes).toEqual([
      { conversionUploadError: 'NO_CONVERSION_ACTION_FOUND' },
      { conversionUploadError: 'GBRAID_WBRAID_BOTH_SET' },
      { collectionSizeError: 'TOO_MANY' },
      { conversionUploadError: 'DUPLICATE_ORDER_ID' },
    ]);
  });

  it('refuses more than 2000 rows as a whole', async () => {
    const rows = Array.from({ length: 2001 }, (_, i) => click({ orderId: `o${i}` }));
    const res = await c.post(CLICKS, { conversions: rows, partialFailure: true }, HEADERS);
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].errors[0].errorCode).toEqual({ conversionUploadError: 'TOO_MANY_CONVERSIONS_IN_REQUEST' });
  });
});

describe('google ads simulator: uploadConversionAdjustments', () => {
  function enhancement(over: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      adjustmentType: 'ENHANCEMENT',
      conversionAction: ACTION,
      orderId: '1001',
      gclidDateTimePair: { gclid: 'Cj0', conversionDateTime: '2026-01-10 11:00:00-05:00' },
      userIdentifiers: [
        { hashedEmail: sha256('janedoe@gmail.com'), userIdentifierSource: 'FIRST_PARTY' },
        { addressInfo: { hashedFirstName: sha256('jane'), hashedLastName: sha256('doe'), hashedStreetAddress: sha256('1 hacker way'), city: 'Menlo Park', state: 'CA', countryCode: 'US', postalCode: '94025' } },
      ],
      userAgent: 'Mozilla/5.0',
      ...over,
    };
  }

  it('accepts an ENHANCEMENT with hashed names and clear-text geo', async () => {
    const res = await c.post(ADJUSTMENTS, { conversionAdjustments: [enhancement()], partialFailure: true }, HEADERS);
    expect(res.status).toBe(200);
    expect(res.json.partialFailureError).toBeUndefined();
    expect(res.json.results[0]).toMatchObject({ adjustmentType: 'ENHANCEMENT', orderId: '1001' });
  });

  it('flags a hashed country code and a missing orderId per row', async () => {
    const hashedGeo = enhancement({ orderId: '2', userIdentifiers: [{ addressInfo: { hashedFirstName: sha256('jane'), countryCode: sha256('us') } }] });
    const res = await c.post(ADJUSTMENTS, { conversionAdjustments: [hashedGeo, enhancement({ orderId: undefined })], partialFailure: true }, HEADERS);
    const errors = res.json.partialFailureError.details[0].errors as GoogleError[];
    expect(errors.map((e) => e.location.fieldPathElements[0])).toEqual([
      { fieldName: 'conversion_adjustments', index: 0 },
      { fieldName: 'conversion_adjustments', index: 1 },
    ]);
    expect(errors[1]!.location.fieldPathElements[1]).toEqual({ fieldName: 'order_id' });
  });

  it('refuses an unknown adjustmentType as a parse error', async () => {
    const res = await c.post(ADJUSTMENTS, { conversionAdjustments: [enhancement({ adjustmentType: 'ENHANCE' })], partialFailure: true }, HEADERS);
    expect(res.status).toBe(400);
  });
});

describe('google ads simulator: requireIssuedToken', () => {
  it('only takes access tokens it issued', async () => {
    const strict = await startSimClient({ google: { requireIssuedToken: true } });
    try {
      const body = { conversions: [click()], partialFailure: true };
      const foreign = await strict.post(CLICKS, body, HEADERS);
      expect(foreign.status).toBe(401);
      expect(foreign.json.error.details[0].errors[0].errorCode).toEqual({ authenticationError: 'OAUTH_TOKEN_INVALID' });
      const token = (await strict.request('POST', '/token', { form: { grant_type: 'refresh_token', client_id: 'id', client_secret: 's', refresh_token: 'rt' } })).json.access_token;
      const ok = await strict.post(CLICKS, body, { ...HEADERS, Authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
