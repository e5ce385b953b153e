import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowSec, sha256, startSimClient, type SimClient } from './test-support.js';

// The GA4 stand-in over real HTTP: /mp/collect answers 204 whatever it got (as GA4 does) while counting what GA4
// would drop; /debug/mp/collect answers the validation server's validationMessages.
describe('ga4 simulator', () => {
  let sim: SimClient;
  beforeAll(async () => {
    sim = await startSimClient();
  });
  afterAll(async () => {
    await sim.close();
  });

  const query = '?measurement_id=G-ABC123XYZ9&api_secret=sEcReT_value-1';
  const valid = () => ({
    client_id: '1162820436.1764326000',
    user_id: sha256('cust_42'),
    timestamp_micros: nowSec() * 1_000_000,
    user_data: { sha256_email_address: [sha256('jane.doe@example.com')], address: [{ city: 'menlo park', country: 'us' }] },
    consent: { ad_user_data: 'GRANTED', ad_personalization: 'GRANTED' },
    events: [{ name: 'purchase', params: { transaction_id: '1001', value: 59.9, currency: 'USD', session_id: '1764326000', items: [{ item_id: 'SKU-1', quantity: 2, price: 29.95 }] } }],
  });
  const totals = async () => (await sim.get('/_sim/stats')).json.totals.ga4;

  it('accepts a valid purchase with 204 and counts it accepted', async () => {
    const before = (await totals())?.events_accepted ?? 0;
    const res = await sim.post(`/mp/collect${query}`, valid());
    expect(res.status).toBe(204);
    expect((await totals()).events_accepted).toBe(before + 1);
  });

  it('answers 204 to a payload GA4 would drop, and counts it rejected', async () => {
    const before = (await totals())?.events_rejected ?? 0;
    const body = { ...valid(), events: [{ name: 'session_start', params: {} }] };
    expect((await sim.post(`/mp/collect${query}`, body)).status).toBe(204);
    expect((await sim.post('/mp/collect?measurement_id=123', valid())).status).toBe(204);
    expect((await totals()).events_rejected).toBe(before + 2);
  });

  it('answers validationMessages on /debug/mp/collect, like the real validation server', async () => {
    expect((await sim.post(`/debug/mp/collect${query}`, valid())).json).toEqual({ validationMessages: [] });
    const bad = { ...valid(), events: [{ name: '_badEventName', params: { value: 3, ['x'.repeat(41)]: 1 } }], extra: true };
    const res = await sim.post(`/debug/mp/collect${query}`, bad);
    expect(res.status).toBe(200);
    const codes = (res.json.validationMessages as { validationCode: string; fieldPath: string }[]).map((m) => `${m.validationCode} ${m.fieldPath}`);
    expect(codes).toContain('NAME_INVALID extra');
    expect(codes).toContain('NAME_INVALID events.0.name');
    expect(codes).toContain('VALUE_REQUIRED events.0.params.currency');
  });

  it('flags limits: more than 25 events, a text value over 100 characters, a timestamp older than 72 hours', async () => {
    const many = { ...valid(), events: Array.from({ length: 26 }, () => ({ name: 'page_view' })) };
    const codes = async (body: unknown) => ((await sim.post(`/debug/mp/collect${query}`, body)).json.validationMessages as { validationCode: string }[]).map((m) => m.validationCode);
    expect(await codes(many)).toContain('EXCEEDED_MAX_ENTITIES');
    expect(await codes({ ...valid(), events: [{ name: 'page_view', params: { note: 'x'.repeat(101) } }] })).toContain('VALUE_OUT_OF_BOUNDS');
    expect(await codes({ ...valid(), timestamp_micros: (nowSec() - 73 * 3600) * 1_000_000 })).toContain('VALUE_OUT_OF_BOUNDS');
    expect(await codes({ ...valid(), user_data: { sha256_email_address: ['jane@example.com'] } })).toContain('VALUE_INVALID');
  });

  it('asks for the transaction_id of a refund under ENFORCE_RECOMMENDATIONS only', async () => {
    const body = { ...valid(), events: [{ name: 'refund', params: { value: 1, currency: 'USD' } }] };
    const codes = async (b: unknown) => ((await sim.post(`/debug/mp/collect${query}`, b)).json.validationMessages as { validationCode: string; fieldPath: string }[]).map((m) => `${m.validationCode} ${m.fieldPath}`);
    expect(await codes({ ...body, validation_behavior: 'ENFORCE_RECOMMENDATIONS' })).toEqual(['VALUE_REQUIRED events.0.params.transaction_id']);
    expect(await codes(body)).toEqual([]);
  });
});
