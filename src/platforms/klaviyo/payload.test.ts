import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCanonicalEvent } from '../../event/parse.js';
import { hashOnce } from '../../identity/hash-once.js';
import { hashedPurchase } from '../google/testdata/hashed-purchase.js';
import { buildKlaviyoRequest, klaviyoEventDocument, klaviyoTime } from './payload.js';
import { klaviyoSettingsSchema } from './settings.js';

const golden = JSON.parse(readFileSync(new URL('./testdata/purchase.golden.json', import.meta.url), 'utf8')) as unknown;
const settings = klaviyoSettingsSchema.parse({ id: 'klaviyo', platform: 'klaviyo', api_key: 'pk_test_123' });

type Doc = { data: { attributes: Record<string, any> } };

describe('buildKlaviyoRequest', () => {
  it('builds the golden request for a purchase, profile from the raw contact', () => {
    const event = hashedPurchase({ custom_data: { coupon: 'WELCOME10' } });
    event.contact = { ...event.contact, location: { city: 'Menlo Park', region: 'CA', zip: '94025-1234', country: 'US' } };
    expect(buildKlaviyoRequest([event], settings)).toEqual(golden);
  });

  it('keeps the location as the shopper wrote it: a CRM profile is read by people, not matched by hashes', () => {
    const event = hashOnce(parseCanonicalEvent({ event_name: 'purchase', event_time: 1764326400, user: { email: 'a@example.com', city: ' São  Paulo ', state: 'São Paulo', zip: '01310-100', country: 'Brasil' } }));
    const doc = klaviyoEventDocument(event) as Doc;
    expect(doc.data.attributes.profile.data.attributes.location).toEqual({ city: 'São Paulo', region: 'São Paulo', zip: '01310-100', country: 'Brasil' });
    const uk = hashOnce(parseCanonicalEvent({ event_name: 'purchase', event_time: 1764326400, user: { email: 'a@example.com', city: 'London', zip: 'SW1A 1AA', country: 'GB' } }));
    expect((klaviyoEventDocument(uk) as Doc).data.attributes.profile.data.attributes.location).toEqual({ city: 'London', zip: 'SW1A 1AA', country: 'GB' });
  });

  it('never puts a hash in the profile', () => {
    const body = JSON.stringify(buildKlaviyoRequest([hashedPurchase()], settings).body);
    expect(body).not.toMatch(/[0-9a-f]{64}/);
  });

  it('goes to base_url and takes exactly one event', () => {
    expect(buildKlaviyoRequest([hashedPurchase()], { ...settings, base_url: 'http://127.0.0.1:4020' }).url).toBe('http://127.0.0.1:4020/api/events');
    expect(() => buildKlaviyoRequest([hashedPurchase(), hashedPurchase()], settings)).toThrow(/one event/);
  });

  it('custom properties never overwrite event_id, order_id or items', () => {
    const doc = klaviyoEventDocument(hashedPurchase({ custom_data: { event_id: 'x', order_id: 'y', gift: true } })) as Doc;
    expect(doc.data.attributes.properties).toMatchObject({ event_id: 'order_1001', order_id: '1001', gift: true });
  });

  it('sends custom event names as a metric of that name; leaves out what the event does not have', () => {
    const event = hashedPurchase({ event_name: 'Wishlist Shared', commerce: undefined, user: {}, contact: { external_id: 'cust_42' } });
    const attrs = (klaviyoEventDocument(event) as Doc).data.attributes;
    expect(attrs.metric).toEqual({ data: { type: 'metric', attributes: { name: 'Wishlist Shared' } } });
    expect(attrs).not.toHaveProperty('value');
    expect(attrs).not.toHaveProperty('value_currency');
    expect(attrs.properties).toEqual({ event_id: 'order_1001' });
    expect(attrs.profile).toEqual({ data: { type: 'profile', attributes: { external_id: 'cust_42' } } });
  });

  it('formats time as ISO-8601 to the second', () => {
    expect(klaviyoTime(1764326400)).toBe('2025-11-28T10:40:00Z');
  });
});
