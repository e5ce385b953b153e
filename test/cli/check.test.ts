import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../src/simulators/server.js';
import { runCli, tempDir, writeConfig } from '../gateway/harness.js';

// `matchkey check` as an operator runs it: a real process, a config file, the simulators over loopback HTTP.

let sim: RunningSimulators;
beforeAll(async () => {
  sim = await startSimulators({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});

const ADMIN = 'admin-token-0123456789';
function config(destinations: Record<string, unknown>[]): string {
  // Every destination points at the simulators unless the test gives its own base_url.
  const pointed = destinations.map((d) => ({ base_url: sim.url, ...d }));
  return writeConfig(tempDir('mk-check-'), { admin_token: ADMIN, sources: { api_keys: ['ingest-key-0123456789'] }, destinations: pointed });
}
const meta = (extra: Record<string, unknown> = {}) => ({ id: 'meta', platform: 'meta', pixel_id: '123456', access_token: 'good-token', test_event_code: 'TEST1', ...extra });
const tiktok = (extra: Record<string, unknown> = {}) => ({ id: 'tiktok', platform: 'tiktok', pixel_code: 'C4ABCDEF', access_token: 'good-token', test_event_code: 'TEST1', ...extra });
const pinterest = (extra: Record<string, unknown> = {}) => ({ id: 'pinterest', platform: 'pinterest', ad_account_id: '549755', access_token: 'good-token', test: true, ...extra });
const ga4 = (extra: Record<string, unknown> = {}) => ({ id: 'ga4', platform: 'ga4', measurement_id: 'G-ABC1234567', api_secret: 'ga4-secret', ...extra });
const snapchat = (extra: Record<string, unknown> = {}) => ({ id: 'snapchat', platform: 'snapchat', pixel_id: 'snap-pixel-1', access_token: 'good-token', ...extra });
const klaviyo = (extra: Record<string, unknown> = {}) => ({ id: 'klaviyo', platform: 'klaviyo', api_key: 'pk_good', ...extra });
const google = (extra: Record<string, unknown> = {}) => ({
  id: 'google', platform: 'google', customer_id: '123-456-7890', conversion_actions: { purchase: '42' },
  oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'refresh' }, ...extra,
});

interface CheckJson {
  valid: boolean;
  destinations: { id: string; ok: boolean; problem?: string; detail: string }[];
  problems?: { path: string; message: string }[];
}

async function check(path: string): Promise<{ code: number | null; json: CheckJson; stderr: string }> {
  const r = await runCli(['check', '--config', path, '--json']);
  return { code: r.code, json: JSON.parse(r.stdout) as CheckJson, stderr: r.stderr };
}

describe('matchkey check', () => {
  it('exits 0 when every destination answers its read-only lookup', async () => {
    const r = await check(config([meta(), tiktok(), pinterest(), klaviyo(), google(), ga4(), snapchat()]));
    expect(r.json.destinations.filter((d) => !d.ok)).toEqual([]);
    expect(r.json.destinations.map((d) => d.id)).toEqual(['meta', 'tiktok', 'pinterest', 'klaviyo', 'google', 'ga4', 'snapchat']);
    expect(r.code).toBe(0);
    const byId = Object.fromEntries(r.json.destinations.map((d) => [d.id, d]));
    // Google: the token exchange, then a validate-only ingest that records nothing; GA4: the validation server.
    expect(byId.google!.detail).toBe('customer 1234567890 accepted a validate-only test event for conversion action 42 (nothing recorded)');
    expect(byId.ga4!.detail).toContain('measurement_id G-ABC1234567 accepted by the validation server');
    const uploads = (await (await fetch(`${sim.url}/_sim/requests?platform=google`)).json()) as { requests: { path: string; body: { validateOnly?: boolean } }[] };
    const ingests = uploads.requests.filter((q) => q.path === '/v1/events:ingest');
    expect(ingests.length).toBeGreaterThan(0);
    expect(ingests.every((q) => q.body.validateOnly === true)).toBe(true);
    // Snapchat: one test purchase to the validate endpoint, never the counting one.
    const snap = (await (await fetch(`${sim.url}/_sim/requests?platform=snapchat`)).json()) as { requests: { path: string }[] };
    expect(snap.requests.map((q) => q.path)).toEqual(['/v3/snap-pixel-1/events/validate']);
  });

  it('exits 1 naming a wrong Meta token and a wrong TikTok pixel code, one line each', async () => {
    const path = config([meta({ access_token: 'invalid-token' }), tiktok({ pixel_code: 'unknownPIXEL' }), pinterest()]);
    const r = await check(path);
    expect(r.code).toBe(1);
    const byId = Object.fromEntries(r.json.destinations.map((d) => [d.id, d]));
    expect(byId.meta).toMatchObject({ ok: false, problem: 'credentials' });
    expect(byId.meta!.detail).toContain('access_token refused');
    expect(byId.tiktok).toMatchObject({ ok: false, problem: 'id' });
    expect(byId.tiktok!.detail).toContain('pixel_code unknownPIXEL');
    expect(byId.pinterest).toMatchObject({ ok: true });

    const text = await runCli(['check', '--config', path]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^FAIL meta \(meta\): access_token refused/m);
    expect(text.stdout).toMatch(/^FAIL tiktok \(tiktok\): pixel_code unknownPIXEL/m);
    expect(text.stdout).toMatch(/^ok {3}pinterest \(pinterest\): /m);
    expect(text.stdout).not.toContain('invalid-token');
  });

  it.each([
    ['a wrong Meta pixel id', meta({ pixel_id: 'unknown1' }), 'id'],
    ['a wrong TikTok token', tiktok({ access_token: 'expired-token' }), 'credentials'],
    ['a wrong Pinterest ad account', pinterest({ ad_account_id: 'unknown9' }), 'id'],
    ['a wrong Pinterest token', pinterest({ access_token: 'invalid-x' }), 'credentials'],
    ['a wrong Klaviyo key', klaviyo({ api_key: 'invalid-key' }), 'credentials'],
    ['a wrong Google refresh token', google({ oauth: { client_id: 'cid', client_secret: 'secret', refresh_token: 'invalid-refresh' } }), 'credentials'],
    ['a Google customer the credentials cannot reach', google({ customer_id: '999-999-9999' }), 'id'],
    ['a wrong Snapchat token', snapchat({ access_token: 'expired-snap' }), 'credentials'],
    ['a refused static Google access token', google({ access_token: 'invalid-static', oauth: undefined }), 'credentials'],
  ])('reports %s', async (_name, destination, problem) => {
    const r = await check(config([destination]));
    expect(r.code).toBe(1);
    expect(r.json.destinations[0]).toMatchObject({ ok: false, problem });
  });

  it('names the host and the cause of a network failure', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const r = await check(config([meta({ base_url: `http://127.0.0.1:${closed}` }), pinterest({ base_url: 'http://no-such-host.invalid' })]));
    expect(r.code).toBe(1);
    expect(r.json.destinations[0]).toMatchObject({ ok: false, problem: 'network' });
    expect(r.json.destinations[0]!.detail).toBe(`unreachable: 127.0.0.1:${closed}: connection refused (ECONNREFUSED)`);
    expect(r.json.destinations[1]!.detail).toMatch(/^unreachable: no-such-host\.invalid:80: DNS lookup failed \((ENOTFOUND|EAI_AGAIN)\)$/);
  });

  it('exits 2 listing every problem of an invalid file, with key paths', async () => {
    const r = await check(config([meta({ test_event_cod: 'TEST1' }), tiktok({ pixel_code: undefined })]));
    expect(r.code).toBe(2);
    expect(r.json.valid).toBe(false);
    expect(r.json.problems!.map((p) => p.path).sort()).toEqual(['destinations.0.test_event_cod', 'destinations.1.pixel_code']);
    expect(r.json.problems![0]!.message).toContain('did you mean "test_event_code"');
  });
});
