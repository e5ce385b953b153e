// Micro-benchmark of the identity pass: `npx tsx bench/identity.ts` prints µs per event for hashOnce on a
// realistic purchase (email, phone, names, city/state/zip/country, ip, ua, fbp). Shoppers vary per event so
// nothing is served from a cache. Target (docs/BENCHMARKS.md): well under 10 µs, so that raw event → Meta body stays
// above 60,000 events/s on one core.
import { hashOnce } from '../src/identity/hash-once.js';
import { parseCanonicalEvent } from '../src/event/parse.js';
import type { CanonicalEvent } from '../src/event/schema.js';

const SHOPPERS = 1000;
const events: CanonicalEvent[] = [];
const cities = ['Menlo Park', 'San Francisco', 'New York', 'Austin', 'Portland'];
const states = ['CA', 'California', 'NY', 'TX', 'Oregon'];
for (let i = 0; i < SHOPPERS; i++) {
  const n = String(1000 + i);
  events.push(
    parseCanonicalEvent({
      event_id: `order_${n}`,
      event_name: 'purchase',
      event_time: 1764326400 + i,
      action_source: 'website',
      event_source_url: 'https://shop.example/checkouts/thank_you',
      user: {
        email: `Jane.Doe${n}@Example.com `,
        phone: i % 2 === 0 ? `(650) 555-${n}` : `+1650555${n}`,
        first_name: 'Jane',
        last_name: i % 3 === 0 ? 'Doe-Smith' : 'Doe',
        city: cities[i % cities.length],
        state: states[i % states.length],
        zip: i % 4 === 0 ? '94025-1234' : '94025',
        country: 'US',
        client_ip_address: `203.0.113.${String(i % 250)}`,
        client_user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
        fbp: `fb.1.1764000000000.${String(100000000 + i)}`,
      },
      commerce: { value: 59.9, currency: 'USD', order_id: n, items: [{ id: 'SKU-1', quantity: 2, price: 29.95 }] },
    }),
  );
}

function run(iterations: number): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += hashOnce(events[i % SHOPPERS] as CanonicalEvent).findings.length;
  const elapsed = Number(process.hrtime.bigint() - start) / 1000;
  if (sink < 0) console.log(sink);
  return elapsed / iterations;
}

run(20_000); // warm-up: JIT and the lazily compiled phone plans
const samples = [run(100_000), run(100_000), run(100_000)].sort((a, b) => a - b);
const median = samples[1] as number;
console.log(`hashOnce: ${median.toFixed(2)} µs/event (median of 3 × 100k; ${Math.round(1e6 / median).toLocaleString('en')} events/s)`);
