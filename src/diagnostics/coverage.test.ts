import { describe, expect, it } from 'vitest';
import { hashedEvent, sha } from '../../test/diagnostics/hashed-events.js';
import { PLATFORMS } from '../platforms/registry.js';
import { keysCarried, platformCoverage } from './coverage.js';

const now = 1_795_132_800;

describe('keysCarried', () => {
  it('reads the keys of each event from one batched request, in order', () => {
    const events = [
      hashedEvent({ event_id: '1', user: { em: [sha('a')], fbp: 'fb.1.1.2' } }),
      hashedEvent({ event_id: '2', user: { client_ip_address: '203.0.113.1' } }),
    ];
    const keys = keysCarried('meta', events, PLATFORMS.meta.placeholderSettings, now).map((s) => [...s].sort());
    expect(keys).toEqual([['em', 'fbp'], ['client_ip_address']]);
  });

  it('builds one event per request for Klaviyo (maxBatch 1)', () => {
    const events = [hashedEvent({ event_id: '1', contact: { email: 'a@x.com' } }), hashedEvent({ event_id: '2', contact: { phone_number: '+16505551212' } })];
    const keys = keysCarried('klaviyo', events, PLATFORMS.klaviyo.placeholderSettings, now).map((s) => [...s]);
    expect(keys).toEqual([['email'], ['phone_number']]);
  });
});

describe('platformCoverage', () => {
  it('divides by the sendable events only, overall and per event name', () => {
    const events = [
      hashedEvent({ event_id: '1', user: { em: [sha('a')] } }),
      hashedEvent({ event_id: '2', user: { client_ip_address: '203.0.113.1' } }),
      hashedEvent({ event_id: '3', event_name: 'lead', user: { em: [sha('b')] } }),
      hashedEvent({ event_id: '4', user: { em: [sha('c')] } }),
    ];
    const sendable = [true, true, true, false];
    const figures = platformCoverage('meta', 'meta', events, sendable, PLATFORMS.meta.placeholderSettings, now);
    expect(figures).toMatchObject({ destination_id: 'meta', events: 4, sendable: 3 });
    expect(figures.coverage.em).toBe(0.6667);
    expect(figures.by_event.purchase).toMatchObject({ events: 3, sendable: 2, coverage: { em: 0.5, client_ip_address: 0.5 } });
    expect(figures.by_event.lead).toMatchObject({ events: 1, sendable: 1, coverage: { em: 1 } });
  });
});

describe('keysCarried for a Google destination on OAuth', () => {
  it('counts the identifiers although no access token exists outside the delivery worker', () => {
    const settings = PLATFORMS.google.settingsSchema.parse({
      id: 'google',
      platform: 'google',
      customer_id: '123-456-7890',
      conversion_actions: { purchase: '987' },
      oauth: { client_id: 'c', client_secret: 's', refresh_token: 'r' },
    });
    const events = [hashedEvent({ event_id: '1', user: { em_google: [sha('a')], ph_e164: [sha('+16502530000')], gclid: 'Cj0' } })];
    expect([...keysCarried('google', events, settings, now)[0]!].sort()).toEqual(['emailAddress', 'gclid', 'phoneNumber']);
  });
});
