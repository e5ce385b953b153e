import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationHealth } from '../delivery/worker.js';
import { hashedEvent } from '../outbox/contract.js';
import { openStore } from '../outbox/open.js';
import type { OutboxStore } from '../outbox/types.js';
import { alertsSchema } from './config.js';
import { evaluateRules, type EvaluationInput } from './conditions.js';

// The rules against a real SQLite outbox: dead letters counted from stored rows, silent sources from stored events,
// and the worker's view of a paused destination (unknown after a start = no verdict).

const HOUR = 3_600_000;
let store: OutboxStore;

beforeEach(async () => {
  store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'mk-alert-rules-')), 'matchkey.db')}`);
  await store.migrate();
});
afterEach(async () => store.close());

function input(rules: unknown, over: Partial<EvaluationInput> = {}): EvaluationInput {
  const now = Date.now();
  return {
    rules: alertsSchema.parse({ rules }).rules,
    store,
    health: () => [],
    destinations: [{ id: 'meta', platform: 'meta' }],
    now,
    startedAt: now - 48 * HOUR,
    ...over,
  };
}

describe('alert rules', () => {
  it('dead letters: fires above the threshold, with the counts', async () => {
    await store.ingest(['a', 'b'].map((id) => ({ event: hashedEvent({ event_id: id }), source: 'api' as const, test: false, deliveries: [{ destination_id: 'meta', platform: 'meta' as const, status: 'pending' as const }] })));
    const rows = await store.claim('meta', 10, Date.now(), 60_000);
    await store.complete([
      { delivery_id: rows[0]!.delivery_id, status: 'dead', error_code: 'timeout', error_message: 'no answer' },
      { delivery_id: rows[1]!.delivery_id, status: 'rejected', error_code: 'invalid', error_message: 'bad field' },
    ]);
    const fired = await evaluateRules(input({ destination_paused: false, dead_letters: { above: 1 } }));
    expect(fired.firing).toEqual([expect.objectContaining({ rule: 'dead_letters', subject: 'meta' })]);
    expect(fired.firing[0]!.message).toContain('2 dead letters (1 dead, 1 rejected), above 1');
    expect((await evaluateRules(input({ destination_paused: false, dead_letters: { above: 2 } }))).firing).toEqual([]);
  });

  it('no events: fires for a silent source, not for one that sent, and gives no verdict before the gateway ran that long', async () => {
    await store.ingest([{ event: hashedEvent({ event_id: 'x' }), source: 'api', test: false, deliveries: [] }]);
    const rules = { destination_paused: false, no_events: { hours: 6, sources: ['api', 'browser'] } };
    const { firing, undecided } = await evaluateRules(input(rules));
    expect(firing.map((c) => c.subject)).toEqual(['browser']);
    expect(firing[0]!.message).toBe('no browser event for 6 h: is the pixel script still connected?');
    expect(undecided.size).toBe(0);
    const young = await evaluateRules(input(rules, { startedAt: Date.now() - HOUR }));
    expect(young.firing).toEqual([]);
    expect([...young.undecided].sort()).toEqual(['no_events:api', 'no_events:browser']);
  });

  it('destination paused: fires while parked, clears when answering, no verdict while not heard from', async () => {
    const health = (h: Partial<DestinationHealth>): (() => DestinationHealth[]) => () => [{ destination_id: 'meta', platform: 'meta', state: 'unknown', ...h }];
    const paused = await evaluateRules(input({}, { health: health({ state: 'paused', paused: { code: 'http_401', message: 'Authentication failed.', since: 1 } }) }));
    expect(paused.firing).toEqual([expect.objectContaining({ rule: 'destination_paused', subject: 'meta' })]);
    expect(paused.firing[0]!.message).toContain('(http_401: Authentication failed.)');
    expect(await evaluateRules(input({}, { health: health({ state: 'ok' }) }))).toEqual({ firing: [], undecided: new Set() });
    expect(await evaluateRules(input({}, { health: health({}) }))).toEqual({ firing: [], undecided: new Set(['destination_paused:meta']) });
  });

  it('delivered share: no verdict with fewer orders than min_orders', async () => {
    const { firing, undecided } = await evaluateRules(input({ destination_paused: false, delivered_share: { below_percent: 90 } }));
    expect(firing).toEqual([]);
    expect([...undecided]).toEqual(['delivered_share:meta']);
  });
});
