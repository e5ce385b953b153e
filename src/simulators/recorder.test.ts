import { describe, expect, it } from 'vitest';
import { Recorder, type RecordedRequest } from './recorder.js';

function req(over: Partial<RecordedRequest> = {}): Omit<RecordedRequest, 'seq'> {
  return {
    platform: 'meta',
    method: 'POST',
    path: '/v26.0/1/events',
    query: {},
    headers: { 'content-type': 'application/json' },
    body: { data: [1] },
    event_count: 1,
    events_accepted: 1,
    events_rejected: 0,
    received_at: 1000,
    status: 200,
    ...over,
  };
}

describe('Recorder', () => {
  it('keeps the last `capacity` requests in order and counts what fell out', () => {
    const r = new Recorder({ capacity: 3 });
    for (let i = 0; i < 5; i++) r.add(req({ received_at: i }));
    expect(r.list().map((x) => x.received_at)).toEqual([2, 3, 4]);
    expect(r.droppedCount).toBe(2);
    expect(r.list({ limit: 2 }).map((x) => x.received_at)).toEqual([3, 4]);
    expect(r.list({ sinceSeq: 4 }).map((x) => x.seq)).toEqual([5]);
  });

  it('filters by platform and keeps running totals that survive the ring', () => {
    const r = new Recorder({ capacity: 2 });
    r.add(req({ event_count: 3, events_accepted: 3 }));
    r.add(req({ platform: 'tiktok' }));
    r.add(req({ status: 429, event_count: 2, events_accepted: 0 }));
    r.add(req({ status: 400, event_count: 2, events_accepted: 0, events_rejected: 2 }));
    expect(r.list({ platform: 'tiktok' })).toHaveLength(0);
    expect(r.totalsFor('meta')).toMatchObject({ requests: 3, events_received: 7, events_accepted: 3, events_rejected: 2, rate_limited: 1, by_status: { 200: 1, 429: 1, 400: 1 } });
    expect(r.totalsFor('tiktok').requests).toBe(1);
  });

  it('drops the oldest bodies beyond the event budget but keeps the records', () => {
    const r = new Recorder({ capacity: 10, bodyEventBudget: 5 });
    for (let i = 0; i < 4; i++) r.add(req({ event_count: 2, received_at: i }));
    const list = r.list();
    expect(list.map((x) => x.body !== undefined)).toEqual([false, false, true, true]);
    expect(list[0]!.body_dropped).toBe(true);
  });

  it('keeps neither headers nor bodies in summary mode', () => {
    const r = new Recorder({ mode: 'summary' });
    r.add(req());
    const [rec] = r.list();
    expect(rec!.body).toBeUndefined();
    expect(rec!.headers).toBeUndefined();
    expect(rec!.event_count).toBe(1);
  });

  it('flags requests that arrive before a Retry-After deadline', () => {
    const r = new Recorder();
    expect(r.arrive('google', 1000)).toBe(false);
    r.noteRateLimit('google', 1000, 2);
    expect(r.arrive('google', 2999)).toBe(true);
    expect(r.arrive('google', 3000)).toBe(false);
    expect(r.arrive('meta', 1500)).toBe(false);
    expect(r.timeline('google')).toEqual({ request_times_ms: [1000, 2999, 3000], rate_limits: [{ at_ms: 1000, retry_after_s: 2, not_before_ms: 3000 }] });
    expect(r.totalsFor('google').early_requests).toBe(1);
  });

  it('clear() empties everything but keeps sequence numbers increasing', () => {
    const r = new Recorder();
    r.add(req());
    r.noteRateLimit('meta', 1, 1);
    r.clear();
    expect(r.list()).toEqual([]);
    expect(r.totalsFor('meta').requests).toBe(0);
    expect(r.timeline('meta').rate_limits).toEqual([]);
    expect(r.arrive('meta', 2)).toBe(false);
    expect(r.add(req()).seq).toBe(2);
  });
});
