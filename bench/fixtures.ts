// Deterministic realistic purchase events for the benchmarks: mixed-case emails with stray spaces, phones in
// four formats, state and country given as names, two items. Seeded, so runs compare like with like.
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Jane', 'John', 'María', 'Li', "O'Neil", 'Anne-Marie', 'Sam', 'Zoë'];
const LAST = ['Doe', 'Smith', 'García', 'Wang', 'Van der Berg', 'Müller', 'Ng', 'Brown'];
const PLACES = [
  { city: 'Menlo Park', state: 'California', zip: '94025-1234', country: 'United States' },
  { city: 'Austin', state: 'TX', zip: '73301', country: 'US' },
  { city: 'Toronto', state: 'Ontario', zip: 'M5V 2T6', country: 'Canada' },
  { city: 'New York', state: 'new york', zip: '10001', country: 'USA' },
];
const DOMAINS = ['Example.com', 'gmail.com', 'Shop.Example.org', 'googlemail.com'];

export function purchaseEvent(i: number, rnd: () => number, now = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  const place = PLACES[i % PLACES.length]!;
  const first = FIRST[Math.floor(rnd() * FIRST.length)]!;
  const last = LAST[Math.floor(rnd() * LAST.length)]!;
  const n = String(1_000_000 + Math.floor(rnd() * 8_999_999));
  const phoneFormats = [
    `(650) 555-${n.slice(-4)}`,
    `+1 650 ${n.slice(0, 3)} ${n.slice(-4)}`,
    `650.${n.slice(0, 3)}.${n.slice(-4)}`,
    `+1(502)-${n.slice(0, 3)}-${n.slice(-4)}`,
  ];
  return {
    event_name: 'purchase',
    event_time: now - Math.floor(rnd() * 3600),
    action_source: 'website',
    event_source_url: 'https://shop.example/checkouts/thank_you',
    user: {
      email: `  ${first.replace(/[^A-Za-z]/g, '')}.${last.replace(/[^A-Za-z]/g, '')}${i}@${DOMAINS[i % DOMAINS.length]} `,
      phone: phoneFormats[i % 4],
      first_name: first,
      last_name: last,
      city: place.city,
      state: place.state,
      zip: place.zip,
      country: place.country,
      external_id: `cust_${i}`,
      client_ip_address: `203.0.113.${i % 250}`,
      client_user_agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      fbp: `fb.1.${(now - 86_400) * 1000}.${1_000_000_000 + i}`,
    },
    commerce: {
      value: 59.9,
      currency: 'USD',
      order_id: String(100_000 + i),
      items: [
        { id: 'SKU-1', name: 'Mug', category: 'Kitchen', quantity: 1, price: 29.95 },
        { id: 'SKU-2', name: 'Saucer', category: 'Kitchen', quantity: 1, price: 29.95 },
      ],
    },
  };
}
