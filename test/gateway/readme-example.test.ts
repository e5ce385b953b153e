import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditText } from '../../src/diagnostics/audit.js';
import { metaEventsContract } from '../../src/platforms/meta/contract.js';
import { configObject, destinationsFor, postEvents, simUploads, startInProcess, startSim, tempDir, waitFor, type InProcessGateway, type Sim } from './harness.js';

// The event the top README tells a new user to send is a complete website event: `matchkey audit` finds nothing
// to downgrade in it, and Meta receives it as it is, `action_source: "website"`, within its published contract.
// A purchase without a currency is refused at ingest unless the config names a default_currency.

/** The JSON of the README's curl example, with `$(date +%s)` as now. */
function readmeEvent(): Record<string, unknown> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const match = /curl -s -X POST http:\/\/127\.0\.0\.1:8080\/v1\/events[\s\S]*?-d "(.*)"\n/.exec(readme);
  if (!match) throw new Error('README.md has no curl example posting to /v1/events');
  const json = match[1]!.replace(/\\"/g, '"').replace('$(date +%s)', String(Math.floor(Date.now() / 1000) - 5));
  return JSON.parse(json) as Record<string, unknown>;
}

describe('the README example event', () => {
  let sim: Sim;
  let gw: InProcessGateway;
  let withDefault: InProcessGateway;

  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir();
    gw = await startInProcess(dir, configObject(dir, destinationsFor(sim.url, ['meta'])));
    const dir2 = tempDir();
    withDefault = await startInProcess(dir2, configObject(dir2, destinationsFor(sim.url, ['meta']).map((d) => ({ ...d, id: 'meta2', pixel_id: '2234567890123456' })), { default_currency: 'eur' }));
  });
  afterAll(async () => {
    await gw?.close();
    await withDefault?.close();
    await sim?.close();
  });

  it('gives `matchkey audit` no downgrade finding', () => {
    const report = auditText(JSON.stringify(readmeEvent()), 'README.md', { identity: {}, nowSec: Math.floor(Date.now() / 1000) });
    const codes = [...report.warnings.map((w) => w.code)];
    expect(codes).not.toContain('WEBSITE_EVENT_INCOMPLETE');
    expect(codes).not.toContain('MISSING_USER_AGENT');
  });

  it('reaches Meta as a website event, within its contract', async () => {
    const res = await postEvents(gw.url, readmeEvent());
    expect(res).toEqual({ status: 202, body: { accepted: 1, duplicates: 0, event_ids: ['order_1001'], results: [{ event_id: 'order_1001', status: 'stored' }] } });
    const upload = await waitFor('Meta received the README event', async () => (await simUploads(sim, 'meta')).find((r) => r.status === 200 && JSON.stringify(r.body).includes('"order_1001"')));
    const body = upload.body as { data: { action_source: string; event_source_url?: string }[] };
    expect(body.data[0]).toMatchObject({ action_source: 'website', event_source_url: 'https://shop.example/checkouts/thank_you' });
    expect(metaEventsContract.check(body)).toEqual([]);
  });

  it('without its currency is refused with a 400 naming commerce.currency — unless the config sets default_currency', async () => {
    const event = readmeEvent();
    const commerce = { ...(event.commerce as Record<string, unknown>) };
    delete commerce.currency;
    const refused = await postEvents(gw.url, { ...event, event_id: 'no_currency', commerce });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'missing_currency', path: 'commerce.currency' });
    const batch = await postEvents(gw.url, { events: [readmeEvent(), { ...event, event_id: 'no_currency_2', commerce }] });
    expect(batch.body.error).toMatchObject({ code: 'missing_currency', path: 'events.1.commerce.currency' });

    const filled = await postEvents(withDefault.url, { ...event, event_id: 'eur_order', commerce });
    expect(filled.status).toBe(202);
    const upload = await waitFor('Meta received the filled-in purchase', async () => (await simUploads(sim, 'meta')).find((r) => JSON.stringify(r.body).includes('"eur_order"')));
    expect((upload.body as { data: { custom_data: { currency: string } }[] }).data[0]!.custom_data.currency).toBe('EUR');
  });
});
