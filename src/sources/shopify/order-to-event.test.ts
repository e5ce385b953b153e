import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { orderToEvent, orderToEventInput } from './order-to-event.js';
import type { ShopifyOrder } from './order.js';

const fixture = (name: string): ShopifyOrder =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/shopify/${name}`, import.meta.url), 'utf8')) as ShopifyOrder;

describe('orderToEvent', () => {
  it('maps a paid order to one purchase with the order event id, money and items', () => {
    const event = orderToEvent(fixture('orders-paid.json'));
    expect(event.event_id).toBe('order_5830042910001');
    expect(event.event_name).toBe('purchase');
    expect(event.event_time).toBe(Date.parse('2026-03-02T10:15:02-05:00') / 1000);
    expect(event.action_source).toBe('website');
    expect(event.commerce).toMatchObject({ value: 598.94, currency: 'USD', order_id: '5830042910001' });
    expect(event.commerce?.items).toEqual([
      { id: 'MUG-BLUE-12', name: 'Ceramic Mug', brand: 'Acme', quantity: 2, price: 29.95 },
      { id: '44000000002', name: 'Espresso Machine', brand: 'Acme', quantity: 1, price: 537.1 },
    ]);
    expect(event.event_source_url).toContain('/orders/');
  });

  it('takes identity from the order, billing address first, and the shopper IP and UA from the order', () => {
    const { user } = orderToEvent(fixture('orders-paid.json'));
    expect(user.email).toBe('Zelphine.Quorvath@Example.com'); // customer.email is the same address
    expect(user.phone).toBe('+15024592181'); // billing "(502) 459-2181" read in the billing country
    expect(user).toMatchObject({
      first_name: 'Zelphine',
      last_name: 'Quorvath',
      street: '77 Brindlewick Lane',
      city: 'Louisville',
      state: 'KY',
      zip: '40202-1234',
      country: 'US',
      external_id: '7012345678901',
      client_ip_address: '198.51.100.23',
      fbclid: 'IwAR2xQ_TestClickIdAbC',
      gclid: 'Cj0KCQiA_gclidValue',
      fbp: 'fb.1.1764000000000.1234567890',
      ttp: '2XyTtpCookieValue01',
    });
    expect(user.client_user_agent).toMatch(/^Mozilla\/5\.0 \(iPhone/);
  });

  it('skips phones that do not parse and falls back to shipping for the address', () => {
    const { user } = orderToEvent(fixture('orders-paid-intl.json'));
    // order.phone "000 000 0000" is not a valid number; the shipping phone is, read as GB.
    expect(user.phone).toBe('+447911123456');
    expect(user.email).toBe('Orlaith.Vennick@Example.co.uk');
    expect(user).toMatchObject({ first_name: 'Orlaith', city: 'London', country: 'GB', zip: 'SW1A 1AA' });
    expect(user.client_ip_address).toBe('2001:db8::42'); // client_details.browser_ip when browser_ip is null
    expect(user).toMatchObject({ ttclid: 'E.C.P.TtclidValue123', epik: 'dj0yJnU9EpikCookie', fbc: 'fb.1.1764326000000.IwAR2xQ_FbcCookie' });
  });

  it('lists distinct emails when the order and the customer differ', () => {
    const order = { ...fixture('orders-paid.json'), email: 'a@example.com', contact_email: 'A@example.com', customer: { id: 1, email: 'b@example.com' } };
    expect(orderToEventInput(order).user?.email).toEqual(['a@example.com', 'b@example.com']);
  });

  it('passes the first phone on when none parses, so that the identity pass reports it', () => {
    const order: ShopifyOrder = { id: 9, phone: '12', currency: 'USD', total_price: '1.00', processed_at: '2026-03-02T10:00:00Z' };
    expect(orderToEventInput(order).user?.phone).toBe('12');
  });

  it('takes no consent decision from buyer_accepts_marketing (the consent policy decides at ingest), and honours a recorded one', () => {
    expect(orderToEvent(fixture('orders-paid.json')).consent).toEqual({ limited_data_use: false });
    const granted = { ...fixture('orders-paid.json'), note_attributes: [{ name: '_matchkey_consent', value: 'granted' }] };
    expect(orderToEvent(granted).consent).toEqual({ marketing: true, limited_data_use: false });
    const denied = { ...fixture('orders-paid.json'), note_attributes: [{ name: '_matchkey_consent', value: 'denied' }, { name: '_matchkey_ldu', value: 'true' }] };
    expect(orderToEvent(denied).consent).toEqual({ marketing: false, limited_data_use: true });
  });

  it('survives sparse and odd payloads without inventing fields', () => {
    const event = orderToEvent({ id: 77, total_price: 'n/a', currency: 'dollars', line_items: [null as never, { title: 'no id' }] });
    expect(event.event_id).toBe('order_77');
    expect(event.commerce).toEqual({ order_id: '77' });
    expect(event.user).toEqual({});
  });
});

describe('Snapchat, Microsoft and Reddit click ids on an order', () => {
  it('reads ScCid, msclkid and rdt_cid from landing_site and _scid, _uetmsclkid, _rdt_uuid from note_attributes', () => {
    const order = {
      ...fixture('orders-paid.json'),
      landing_site: '/p?ScCid=snap-1&rdt_cid=rdt-1',
      note_attributes: [
        { name: '_scid', value: 'scid-1' },
        { name: '_uetmsclkid', value: '_uetabc' },
        { name: '_rdt_uuid', value: 'uuid-1' },
      ],
    };
    expect(orderToEventInput(order).user).toMatchObject({ sccid: 'snap-1', rdt_cid: 'rdt-1', scid: 'scid-1', msclkid: '_uetabc', rdt_uuid: 'uuid-1' });
  });

  it('keeps the landing URL’s msclkid over the UET cookie of another click', () => {
    const order = { ...fixture('orders-paid.json'), landing_site: '/p?msclkid=fromurl', note_attributes: [{ name: '_uetmsclkid', value: '_uetolder' }] };
    expect(orderToEventInput(order).user?.msclkid).toBe('fromurl');
  });
});
