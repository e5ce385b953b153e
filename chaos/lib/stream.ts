import { INGEST_KEY } from '../../bench/lib/gateway.js';
import { sleep } from './scenario.js';

// A client that streams events into POST /v1/events the way a careful integration does: batches of 1..maxBatch,
// several in flight, and a batch that was not acknowledged (connection refused or reset, 503 while draining,
// a timeout) is sent again, with the same event ids, until it is. `acked` is the set of ids the gateway promised
// to deliver; the gateway may also have stored (and deliver) ids whose 202 never arrived.

export interface StreamOptions {
  url: string;
  total: number;
  lanes: number;
  maxBatch: number;
  /** Offered events per second (the stream's pace; catches up after an outage). */
  ratePerSec: number;
  makeEvent: (id: string, n: number) => Record<string, unknown>;
  idOf: (n: number) => string;
  /** Give up on the whole stream after this long (bounded loop). */
  deadlineMs: number;
}

export interface StreamReport {
  acked: Set<string>;
  sentIds: Set<string>;
  requests: number;
  retries: number;
  statuses: Record<string, number>;
  transportErrors: number;
  /** 4xx answers other than 503: the gateway refused a valid event (a bug). */
  refused: number;
  completed: boolean;
}

export async function streamEvents(o: StreamOptions): Promise<StreamReport> {
  const r: StreamReport = { acked: new Set(), sentIds: new Set(), requests: 0, retries: 0, statuses: {}, transportErrors: 0, refused: 0, completed: false };
  const t0 = Date.now();
  const deadline = t0 + o.deadlineMs;
  let next = 0;
  await Promise.all(
    Array.from({ length: o.lanes }, async (_, lane) => {
      while (next < o.total && Date.now() < deadline) {
        const size = Math.min(o.total - next, 1 + ((next + lane) % o.maxBatch));
        const first = next;
        next += size;
        const dueAt = t0 + (first / o.ratePerSec) * 1000;
        if (dueAt > Date.now()) await sleep(dueAt - Date.now());
        const ids = Array.from({ length: size }, (_, i) => o.idOf(first + i));
        const body = JSON.stringify(size === 1 ? o.makeEvent(ids[0]!, first) : { events: ids.map((id, i) => o.makeEvent(id, first + i)) });
        for (const id of ids) r.sentIds.add(id);
        for (let attempt = 0; Date.now() < deadline; attempt++) {
          if (attempt > 0) r.retries++;
          r.requests++;
          try {
            const res = await fetch(`${o.url}/v1/events`, {
              method: 'POST',
              headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' },
              body,
              signal: AbortSignal.timeout(15_000),
            });
            await res.arrayBuffer();
            r.statuses[res.status] = (r.statuses[res.status] ?? 0) + 1;
            if (res.status === 202) {
              for (const id of ids) r.acked.add(id);
              break;
            }
            if (res.status !== 503) {
              r.refused++;
              break;
            }
          } catch {
            r.transportErrors++;
          }
          await sleep(50 + Math.random() * 100);
        }
      }
    }),
  );
  r.completed = next >= o.total && r.acked.size === r.sentIds.size;
  return r;
}

/** A purchase dated a minute ago, unique per id, with the identity keys every platform needs. */
export function purchase(id: string, extraUser: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: id,
    event_name: 'purchase',
    event_time: Math.floor(Date.now() / 1000) - 60,
    action_source: 'website',
    event_source_url: 'https://shop.example/checkouts/thank_you',
    user: {
      email: `${id}@example.com`,
      client_ip_address: '203.0.113.7',
      client_user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
      external_id: `cust-${id}`,
      ...extraUser,
    },
    commerce: { order_id: id, value: 10, currency: 'USD', items: [{ id: 'SKU-1', quantity: 1, price: 10 }] },
  };
}

/** Per platform: acknowledged ids never accepted, ids accepted that were never sent, and re-sends of one id. */
export function auditDeliveries(acked: Set<string>, sent: Set<string>, accepted: Map<string, number>): { lost: string[]; foreign: string[]; duplicatedIds: number; extraSends: number } {
  const lost: string[] = [];
  for (const id of acked) if (!accepted.has(id)) lost.push(id);
  const foreign: string[] = [];
  let duplicatedIds = 0;
  let extraSends = 0;
  for (const [id, count] of accepted) {
    if (!sent.has(id)) foreign.push(id);
    if (count > 1) {
      duplicatedIds++;
      extraSends += count - 1;
    }
  }
  return { lost, foreign, duplicatedIds, extraSends };
}
