import { hash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArgs } from '../../src/cli/testing/cli-args.js';

// `matchkey preview` as a user runs it: a real process, real files and stdin, stdout/stderr/exit code observed.

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'matchkey-preview-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, cliArgs(['preview', ...args]), {
    cwd: repo,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, requests: lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const now = Math.floor(Date.now() / 1000) - 3600;
const purchase = (n: number, extra: object = {}) => ({
  event_id: `order_${n}`,
  event_name: 'purchase',
  event_time: now,
  user: { email: `Shopper.${n}@GMail.com`, phone: '+1 650 555 1212', gclid: `Cj0K-${n}`, country: 'US', zip: '94025' },
  commerce: { value: 20 + n, currency: 'USD', order_id: String(n) },
  ...extra,
});

const SECRETS = { dev: 'dev-token-SECRET-1', refresh: 'refresh-SECRET-2', client: 'client-SECRET-3', klaviyo: 'pk_SECRET_4' };
const configPath = file('matchkey.config.json', {
  default_country: 'US',
  destinations: [
    { id: 'google-main', platform: 'google', api: 'google_ads', customer_id: '123-456-7890', developer_token: '${DEV_TOKEN}', conversion_actions: { purchase: '987' }, oauth: { client_id: 'cid', client_secret: SECRETS.client, refresh_token: SECRETS.refresh }, base_url: 'http://127.0.0.1:4010', test: true },
    { id: 'google-mcc', platform: 'google', customer_id: '222-333-4444', login_customer_id: '999-888-7777', conversion_actions: { purchase: '1' }, access_token: 'static-token-SECRET' },
    { id: 'klaviyo', platform: 'klaviyo', api_key: SECRETS.klaviyo },
  ],
});
const configEnv = { DEV_TOKEN: SECRETS.dev };

describe('matchkey preview', () => {
  it('prints one JSON line per request for Google (Data Manager events:ingest) with placeholder settings and masked secrets', () => {
    const r = run(['--platform', 'google', file('one.json', purchase(1))]);
    expect(r.code).toBe(0);
    expect(r.requests).toHaveLength(1);
    const [req] = r.requests;
    expect(Object.keys(req!)).toEqual(['platform', 'method', 'url', 'headers', 'body']);
    expect(req).toMatchObject({
      platform: 'google',
      method: 'POST',
      url: 'https://datamanager.googleapis.com/v1/events:ingest',
      headers: { Authorization: 'Bearer ***', 'Content-Type': 'application/json' },
      body: { destinations: [{ operatingAccount: { accountType: 'GOOGLE_ADS', accountId: 'CUSTOMER_ID' }, productDestinationId: 'CONVERSION_ACTION_ID' }], encoding: 'HEX', validateOnly: false },
    });
    // shopper.1@gmail.com: gmail dots (and any +suffix) removed before hashing, as the formatting guide says.
    expect(req!.body.events[0]).toMatchObject({ transactionId: '1', adIdentifiers: { gclid: 'Cj0K-1' }, userData: { userIdentifiers: expect.arrayContaining([{ emailAddress: hash('sha256', 'shopper1@gmail.com') }]) } });
  });

  it('uses the first destination of the platform in --config (here the Google Ads API opt-in), masking every secret value', () => {
    const r = run(['--platform', 'google', '--config', configPath, file('arr.json', [purchase(1), purchase(2), purchase(3)])], undefined, configEnv);
    expect(r.code).toBe(0);
    expect(r.requests).toHaveLength(1); // ≤ 2000 per request: one batch
    const [req] = r.requests;
    expect(req!.url).toBe('http://127.0.0.1:4010/v26/customers/1234567890:uploadClickConversions');
    expect(req!.body.validateOnly).toBe(true);
    expect(req!.body.conversions).toHaveLength(3);
    for (const secret of Object.values(SECRETS)) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
  });

  it('--destination picks another destination of the platform', () => {
    const r = run(['--platform', 'google', '--config', configPath, '--destination', 'google-mcc', file('mcc.json', purchase(1))], undefined, configEnv);
    expect(r.code).toBe(0);
    // Data Manager API: the manager (MCC) account is the destination's loginAccount, not a header.
    expect(r.requests[0]!.headers).toMatchObject({ Authorization: 'Bearer ***' });
    expect(r.requests[0]!.body.destinations[0]).toMatchObject({ operatingAccount: { accountId: '2223334444' }, loginAccount: { accountType: 'GOOGLE_ADS', accountId: '9998887777' } });
    expect(r.stdout).not.toContain('static-token-SECRET');
  });

  it('reads JSONL from stdin and sends Klaviyo one event per request, with the API key masked', () => {
    const jsonl = `${JSON.stringify(purchase(1))}\n${JSON.stringify(purchase(2))}\n`;
    const r = run(['--platform', 'klaviyo', '--config', configPath, '-'], jsonl, configEnv);
    expect(r.code).toBe(0);
    expect(r.requests).toHaveLength(2);
    expect(r.requests[0]!.headers.Authorization).toBe('Klaviyo-API-Key ***');
    expect(r.requests.map((q) => q.body.data.attributes.profile.data.attributes.email)).toEqual(['shopper.1@gmail.com', 'shopper.2@gmail.com']);
    expect(r.stdout).not.toContain(SECRETS.klaviyo);
  });

  it('reports skipped events and identity findings on stderr, one line each, without PII', () => {
    const events = [
      purchase(1, { event_name: 'add_to_cart' }),
      purchase(2, { user: { email: 'jane.at.example.com', gclid: 'g' } }),
      purchase(3, { user: { phone: '12' } }),
    ];
    const r = run(['--platform', 'google', file('mixed.json', events)]);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain('skipped order_1: no_conversion_action');
    expect(lines).toContain('skipped order_3: no_match_key');
    expect(lines.some((l) => l.startsWith('finding order_2 EMAIL_INVALID user.email'))).toBe(true);
    expect(r.stderr).not.toContain('jane.at.example.com');
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0]!.body.events).toHaveLength(1);
  });

  it.each([
    ['bad JSON', ['--platform', 'google'], '{"event_name": ', /stdin: not valid JSON/],
    ['a schema error, naming index and field', ['--platform', 'google'], JSON.stringify([purchase(1), { event_name: 'purchase', event_time: 'soon' }]), /1\.event_time: expected unix seconds or ISO-8601/],
    ['a schema error on a JSONL line', ['--platform', 'google'], `${JSON.stringify(purchase(1))}\n${JSON.stringify({ event_name: 'purchase', event_time: now, usr: {} })}\n`, /stdin line 2: .*unknown field "usr"/],
    ['an unknown platform', ['--platform', 'bing'], '{}', /unknown platform "bing"/],
    ['an unreadable file', ['--platform', 'google', join(dir, 'missing.json')], undefined, /cannot read input file .*missing\.json/],
    ['a missing --platform', [], '{}', /--platform/],
    ['a config without such destination', ['--platform', 'meta', '--config', configPath], '{}', /has no enabled meta destination/],
  ])('exits 2 on %s', (_what, args, input, message) => {
    const r = run(args, input, configEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
