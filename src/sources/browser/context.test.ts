import { describe, expect, it } from 'vitest';
import { hashedEvent } from '../../outbox/contract.js';
import { browserContextOf } from './context.js';

describe('browserContextOf', () => {
  it('keeps only the plain browser fields, never hashes or the raw contact', () => {
    const event = hashedEvent({
      user: { em: ['a'.repeat(64)], ph: ['b'.repeat(64)], fn: 'c'.repeat(64), fbp: 'fb.1.1.2', fbc: 'fb.1.3.AbC', ttp: 'tt', epik: 'ep', gclid: 'g', client_user_agent: 'UA', client_ip_address: '203.0.113.9' },
      contact: { email: 'jane@example.com', phone_number: '+16505551212', first_name: 'Jane' },
    });
    const context = browserContextOf(event);
    expect(context).toEqual({
      fbp: 'fb.1.1.2',
      fbc: 'fb.1.3.AbC',
      ttp: 'tt',
      epik: 'ep',
      gclid: 'g',
      client_user_agent: 'UA',
      client_ip_address: '203.0.113.9',
      consent: { marketing: true, limited_data_use: false },
    });
    expect(JSON.stringify(context)).not.toMatch(/jane|6505551212|aaaa/i);
  });

  it('keeps only the denial when marketing consent is denied', () => {
    const event = hashedEvent({ user: { fbp: 'fb.1.1.2', client_user_agent: 'UA' }, consent: { marketing: false, limited_data_use: false } });
    expect(browserContextOf(event)).toEqual({ consent: { marketing: false, limited_data_use: false } });
  });
});
