import { parseCanonicalEvent } from '../../event/parse.js';
import { hashOnce } from '../../identity/hash-once.js';
import type { HashedEvent } from '../../identity/types.js';

/** Every identity field a purchase can carry, in the forms that make several hashed variants share a hash. */
export const FULL_USER = {
  email: 'Jane.Doe@Gmail.com',
  phone: '(650) 555-1212',
  first_name: 'Jane',
  last_name: "O'Doe",
  gender: 'f',
  date_of_birth: '1990-02-01',
  street: '1 Hacker Way',
  city: 'Menlo Park',
  state: 'CA',
  zip: '94025',
  country: 'US',
  external_id: 'cust_42',
  client_ip_address: '203.0.113.7',
};

/** A purchase hashed by hashOnce, as the stores are given it (its raw contact included), for the stored-event tests. */
export function hashedPurchase(user: Record<string, unknown> = FULL_USER, eventId = 'order_1001'): HashedEvent {
  return hashOnce(
    parseCanonicalEvent({
      event_id: eventId,
      event_name: 'purchase',
      event_time: 1764326400,
      commerce: { value: 59.9, currency: 'USD', order_id: '1001' },
      user,
    }),
  );
}
