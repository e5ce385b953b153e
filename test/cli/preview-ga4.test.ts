import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `matchkey preview --platform ga4` as a user runs it: a real process, one /mp/collect request per event.

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'matchkey-preview-ga4-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, ['bin/matchkey.js', 'preview', ...args], { cwd: repo, encoding: 'utf8', input: '' });
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  return { code: r.status, stderr: r.stderr, requests: lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

const now = Math.floor(Date.now() / 1000) - 600;
const events = [
  {
    event_name: 'purchase',
    event_time: now,
    action_source: 'website',
    user: { email: 'Jane.Doe@gmail.com', external_id: 'cust_42', ga_client_id: 'GA1.1.1162820436.1764326000', ga_session_id: 'GS1.1.1764326100.3.1.1764326200.0.0.0' },
    commerce: { value: 59.9, currency: 'USD', order_id: '1001', items: [{ id: 'SKU-1', name: 'Mug', quantity: 2, price: 29.95 }] },
  },
  { event_id: 'v1', event_name: 'view_content', event_time: now, action_source: 'website', commerce: { value: 29.95, currency: 'USD', items: [{ id: 'SKU-1' }] } },
];

describe('matchkey preview --platform ga4', () => {
  it('prints /mp/collect requests with client_id, GA4 event names and items, the API secret masked', () => {
    const path = join(dir, 'events.json');
    writeFileSync(path, JSON.stringify(events));
    const r = run(['--platform', 'ga4', path]);
    expect(r.code).toBe(0);
    expect(r.requests).toHaveLength(2);
    const [purchase, view] = r.requests;
    expect(purchase).toMatchObject({ platform: 'ga4', method: 'POST', url: 'https://www.google-analytics.com/mp/collect?measurement_id=G-MEASUREMENT&api_secret=***' });
    expect(purchase!.body.client_id).toBe('1162820436.1764326000');
    expect(purchase!.body.events).toEqual([
      {
        name: 'purchase',
        params: { transaction_id: '1001', value: 59.9, currency: 'USD', items: [{ item_id: 'SKU-1', item_name: 'Mug', price: 29.95, quantity: 2 }], session_id: '1764326100', engagement_time_msec: 1 },
      },
    ]);
    expect(view!.body.events[0]).toMatchObject({ name: 'view_item', params: { items: [{ item_id: 'SKU-1' }] } });
    // Without the _ga cookie: a marked stand-in client id, and the finding that says the event lands as Unassigned.
    expect(view!.body.client_id).toMatch(/^mk\.\d+\.\d+$/);
    expect(r.stderr).toMatch(/finding v1 GA4_NO_CLIENT_ID user\.ga_client_id/);
    expect(r.stderr).not.toMatch(/GA4_NO_CLIENT_ID.*order_1001|finding order_1001 GA4_/);
  });
});
