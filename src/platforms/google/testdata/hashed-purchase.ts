import { hash } from 'node:crypto';
import type { HashedEvent } from '../../../identity/types.js';

// A hand-built HashedEvent for a realistic purchase (the identity pass applied by hand), so the builder can be
// tested on its own. The end-to-end goldens run the real parseCanonicalEvent → hashOnce instead.

export const sha256 = (s: string): string => hash('sha256', s);

export function hashedPurchase(overrides: Partial<HashedEvent> = {}): HashedEvent {
  return {
    event_id: 'order_1001',
    event_id_source: 'given',
    event_name: 'purchase',
    event_time: 1764326400, // 2025-11-28T10:40:00Z
    action_source: 'website',
    event_source_url: 'https://shop.example/checkouts/thank_you',
    user: {
      em: [sha256('jane.doe@gmail.com')],
      em_google: [sha256('janedoe@gmail.com')],
      ph: [sha256('16505551212')],
      ph_e164: [sha256('+16505551212')],
      fn: sha256('jane'),
      ln: sha256('doe'),
      street: sha256('1 hacker way'),
      ct: sha256('menlopark'),
      st: sha256('ca'),
      zp: sha256('94025'),
      country: sha256('us'),
      geo: { city: 'menlo park', state: 'CA', zip: '94025', country: 'US' },
      external_id: [sha256('cust_42')],
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0 (Macintosh)',
      gclid: 'Cj0KCQiA-test',
    },
    commerce: {
      value: 59.9,
      currency: 'USD',
      order_id: '1001',
      items: [{ id: 'SKU-1', name: 'Mug', category: 'Kitchen', brand: 'Acme', quantity: 2, price: 29.95 }],
    },
    consent: { marketing: true, limited_data_use: false },
    findings: [],
    contact: { email: 'jane.doe@gmail.com', phone_number: '+16505551212', external_id: 'cust_42', first_name: 'Jane', last_name: 'Doe' },
    ...overrides,
  };
}
