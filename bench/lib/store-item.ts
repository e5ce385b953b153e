import { hashedEvent } from '../../src/outbox/contract.js';
import type { IngestItem } from '../../src/outbox/types.js';

// The event the store-only benchmarks (bench/outbox.ts, bench/postgres.ts) ingest: a hashed purchase with three
// deliveries, one of them Klaviyo's with a contact to seal — the same write on both stores, so their figures compare.
export function storeBenchItem(seq: number): IngestItem {
  const id = `order_${seq}`;
  return {
    event: hashedEvent({
      event_id: id,
      user: { em: ['a'.repeat(64)], ph: ['b'.repeat(64)], fn: 'c'.repeat(64), ln: 'd'.repeat(64), client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0 (Macintosh) bench', fbp: 'fb.1.1764000000000.1234567890' },
      commerce: { value: 59.9, currency: 'USD', order_id: id, items: [{ id: 'SKU-1', name: 'Mug', quantity: 2, price: 29.95 }] },
      contact: { email: 'someone@example.com', phone_number: '+16505551212' },
    }),
    source: 'api',
    test: false,
    deliveries: [
      { destination_id: 'meta', platform: 'meta', status: 'pending' },
      { destination_id: 'tiktok', platform: 'tiktok', status: 'pending' },
      { destination_id: 'klaviyo', platform: 'klaviyo', status: 'pending', needs_contact: true },
    ],
  };
}
