import fc from 'fast-check';
import { shopifyHmac } from '../../src/sources/shopify/hmac.js';
import { ADMIN_TOKEN, freshOrder, INGEST_KEY, simUploads, waitFor } from '../../test/gateway/harness.js';
import { SHOP, type Target } from '../../test/hardening/target.js';

// The fuzz suite (docs/RELIABILITY.md "Fuzz"): fast-check over raw bytes and JSON against every POST route of a
// running gateway, on either store. Promises: never a 5xx, never a crash (the gateway answers /healthz after the
// run), and never a changed delivery for a refused request — nothing a refused request carried is stored, and a real
// order stored before the run is delivered once, as its server copy, whatever the fuzzer sent with its event_id.
// Run in `npm test` with a bounded number of runs (test/hardening/fuzz.test.ts) and in `npm run chaos` with more.

const SHOPIFY_SECRET = 'shopify-current-secret';
/** The real order every fuzz run tries to hijack. */
export const REAL_ORDER_ID = 424242;
const REAL_EVENT_ID = `order_${REAL_ORDER_ID}`;

type RouteName = 'events' | 'collect' | 'shopify-signed' | 'shopify-unsigned' | 'replay' | 'reconcile' | 'annotations';
const ROUTE_NAMES: RouteName[] = ['events', 'collect', 'shopify-signed', 'shopify-unsigned', 'replay', 'reconcile', 'annotations'];

interface FuzzRequest {
  route: RouteName;
  body: string | Uint8Array;
  contentType: string;
  topic: string;
}

const nowS = Math.floor(Date.now() / 1000);
const scalar = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', '\u0000', 'a\u0007b', '__proto__', 'x'.repeat(300)));

const eventLike = fc.record(
  {
    event_id: fc.oneof(fc.constant(REAL_EVENT_ID), text, fc.integer()),
    event_name: fc.oneof(fc.constantFrom('purchase', 'page_view', 'add_to_cart', 'lead'), text),
    event_time: fc.oneof(fc.constant(nowS), fc.integer({ min: nowS - 86_400 * 30, max: nowS + 86_400 * 400 }), fc.double(), text),
    action_source: fc.oneof(fc.constant('website'), text),
    user: fc.oneof(
      fc.dictionary(fc.constantFrom('email', 'phone', 'fbc', 'fbp', 'ttp', 'client_ip_address', 'external_id', 'gclid', 'first_name'), fc.oneof(text, fc.integer())),
      fc.jsonValue({ maxDepth: 3 }),
    ),
    consent: fc.oneof(fc.record({ marketing: fc.boolean(), limited_data_use: fc.boolean() }, { requiredKeys: [] }), scalar),
    commerce: fc.oneof(
      fc.record(
        {
          order_id: fc.oneof(fc.constant(String(REAL_ORDER_ID)), text, fc.integer()),
          value: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-5, 1e308, 0)),
          currency: fc.oneof(fc.constant('USD'), text),
          items: fc.array(fc.record({ id: fc.oneof(text, fc.integer()), price: fc.double(), quantity: fc.integer() }, { requiredKeys: [] }), { maxLength: 3 }),
        },
        { requiredKeys: [] },
      ),
      scalar,
    ),
    custom_data: fc.oneof(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 1, max: 40 }).map(deepObject)),
    shopify: fc.oneof(fc.record({ checkout_token: text, cart_token: text }, { requiredKeys: [] }), scalar),
  },
  { requiredKeys: [] },
);

// Well-formed events with a hostile twist (the real order's id, a consent denial, an attacker's click ids, custom
// data near the limits): mostly accepted, so the promise about the real order's delivery is tested by requests the
// gateway takes, not only by ones it refuses.
const plausibleEvent = fc.record(
  {
    event_id: fc.oneof(fc.constant(REAL_EVENT_ID), fc.stringMatching(/^[a-z0-9_]{1,20}$/)),
    event_name: fc.constantFrom('purchase', 'page_view', 'add_to_cart', 'initiate_checkout'),
    event_time: fc.integer({ min: nowS - 3600, max: nowS }),
    user: fc.record(
      { email: fc.emailAddress(), fbc: fc.constant('fb.1.1764000000000.AttackerClick'), gclid: fc.stringMatching(/^[A-Za-z0-9]{4,20}$/), fbp: fc.constant('fb.1.1764000000000.42') },
      { requiredKeys: [] },
    ),
    consent: fc.record({ marketing: fc.boolean(), limited_data_use: fc.boolean() }, { requiredKeys: [] }),
    commerce: fc.record({ order_id: fc.oneof(fc.constant(String(REAL_ORDER_ID)), fc.stringMatching(/^[0-9]{1,8}$/)), value: fc.integer({ min: 0, max: 10_000 }), currency: fc.constant('USD') }, { requiredKeys: [] }),
    custom_data: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 10 }),
    shopify: fc.record({ checkout_token: fc.stringMatching(/^[a-f0-9]{8,32}$/) }, { requiredKeys: [] }),
  },
  { requiredKeys: ['event_name', 'event_time'] },
);

function deepObject(levels: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

const orderLike = fc.record(
  {
    id: fc.oneof(fc.constant(REAL_ORDER_ID), fc.integer(), text),
    order_id: fc.oneof(fc.constant(REAL_ORDER_ID), text),
    name: text,
    email: text,
    total_price: fc.oneof(text, fc.double()),
    currency: text,
    cancelled_at: fc.oneof(fc.constant(null), text),
    processed_at: fc.oneof(fc.constant(new Date().toISOString()), text),
    refund_line_items: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 2 }), scalar),
    line_items: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 3 }),
    note_attributes: fc.array(fc.record({ name: text, value: text }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

const jsonBody = fc.oneof(
  plausibleEvent.map((e) => JSON.stringify(e)),
  eventLike.map((e) => JSON.stringify(e)),
  fc.array(eventLike, { minLength: 0, maxLength: 4 }).map((events) => JSON.stringify({ events })),
  orderLike.map((o) => JSON.stringify(o)),
  fc.json({ depthSize: 'medium' }),
  fc.integer({ min: 1, max: 30_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
);

const anyRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  route: fc.constantFrom(...ROUTE_NAMES),
  body: fc.oneof({ weight: 4, arbitrary: jsonBody }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }) }),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', 'application/octet-stream'),
  topic: fc.constantFrom('orders/paid', 'orders/cancelled', 'refunds/create', 'orders/create'),
});

/** Plausible browser events to /collect and server events to /v1/events: the requests most likely to be taken. */
const takenRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  plausibleEvent.map((e): FuzzRequest => ({ route: 'collect', body: JSON.stringify(e), contentType: 'text/plain', topic: 'orders/paid' })),
  fc
    .array(plausibleEvent.map(({ shopify: _tokens, ...e }) => e), { minLength: 1, maxLength: 4 })
    .map((events): FuzzRequest => ({ route: 'events', body: JSON.stringify(events.length === 1 ? events[0] : { events }), contentType: 'application/json', topic: 'orders/paid' })),
);

const request: fc.Arbitrary<FuzzRequest> = fc.oneof({ weight: 3, arbitrary: anyRequest }, { weight: 2, arbitrary: takenRequest });

function requestInit(r: FuzzRequest): { path: string; init: RequestInit } {
  const headers: Record<string, string> = { 'content-type': r.contentType };
  let path: string;
  switch (r.route) {
    case 'events':
      path = '/v1/events';
      headers.authorization = `Bearer ${INGEST_KEY}`;
      break;
    case 'collect':
      path = '/collect';
      headers.origin = SHOP;
      break;
    case 'shopify-signed':
    case 'shopify-unsigned':
      path = '/webhooks/shopify';
      headers['x-shopify-topic'] = r.topic;
      if (r.route === 'shopify-signed') headers['x-shopify-hmac-sha256'] = shopifyHmac(Buffer.from(r.body), SHOPIFY_SECRET);
      break;
    case 'replay':
      path = '/api/deliveries/replay';
      headers.authorization = `Bearer ${ADMIN_TOKEN}`;
      break;
    case 'reconcile':
      path = '/api/reconcile';
      headers.authorization = `Bearer ${ADMIN_TOKEN}`;
      break;
    case 'annotations':
      path = '/api/annotations';
      headers.authorization = `Bearer ${ADMIN_TOKEN}`;
      break;
  }
  return { path, init: { method: 'POST', headers, body: r.body } };
}

export interface FuzzReport {
  runs: number;
  byStatus: Record<string, number>;
  /** Requests refused (4xx). */
  refused: number;
  failures: string[];
}

/** Stores the real order, fuzzes every POST route `runs` times, then checks the promises. */
export async function fuzzPostRoutes(target: Target, runs: number, seed?: number): Promise<FuzzReport> {
  const { gw, sim } = target;
  const failures: string[] = [];
  const byStatus: Record<string, number> = {};
  const accepted = new Set<string>([REAL_EVENT_ID]);
  let refused = 0;

  const { raw } = freshOrder('orders-paid.json', { id: REAL_ORDER_ID });
  const real = await fetch(`${gw.url}/webhooks/shopify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/paid', 'x-shopify-hmac-sha256': shopifyHmac(raw, SHOPIFY_SECRET) },
    body: raw,
  });
  if (real.status !== 200) failures.push(`the real order webhook answered ${real.status}`);
  await real.text();

  try {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { path, init } = requestInit(r);
        const res = await fetch(`${gw.url}${path}`, init);
        const text = await res.text();
        const bucket = `${Math.floor(res.status / 100)}xx`;
        byStatus[bucket] = (byStatus[bucket] ?? 0) + 1;
        if (res.status >= 500) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
        if (res.status >= 400) refused++;
        else if (res.status < 300 && text) {
          const body = JSON.parse(text) as { event_ids?: string[]; event_id?: string | null };
          for (const id of body.event_ids ?? []) accepted.add(id);
          if (typeof body.event_id === 'string') accepted.add(body.event_id);
        }
      }),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }), endOnFailure: true },
    );
  } catch (err) {
    failures.push((err as Error).message.split('\n').slice(0, 12).join('\n'));
  }

  const health = await fetch(`${gw.url}/healthz`).catch(() => undefined);
  if (health?.status !== 200) failures.push(`the gateway does not answer /healthz after the run (${health?.status ?? 'no answer'})`);

  const stored = await gw.store.listEvents({ limit: 1_000_000 });
  const strays = stored.filter((e) => !accepted.has(e.event.event_id));
  if (strays.length > 0) failures.push(`${strays.length} stored events were never acknowledged (e.g. ${JSON.stringify(strays[0]!.event.event_id)})`);

  try {
    const copies = await waitFor('the real order at Meta', async () => {
      const uploads = await simUploads(sim, 'meta');
      const found = uploads.filter((u) => u.status < 300).flatMap((u) => (u.body as { data: { event_id: string; event_name: string; user_data: Record<string, unknown> }[] }).data).filter((e) => e.event_id === REAL_EVENT_ID);
      return found.length > 0 ? found : undefined;
    });
    const server = copies.filter((c) => c.event_name === 'Purchase' && c.user_data.em !== undefined);
    if (server.length !== 1) failures.push(`the real order reached Meta ${server.length} times as its server copy (expected once)`);
    const other = copies.length - server.length;
    if (other > 0) failures.push(`${other} other events reached Meta under the real order's event_id`);
  } catch (err) {
    failures.push((err as Error).message);
  }
  return { runs, byStatus, refused, failures };
}
