import { PLATFORM_NAMES } from '../../src/event/names.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArgs } from '../../src/cli/testing/cli-args.js';

// `matchkey audit` as a real process: the published entry point, exit codes and output on stdout/stderr.

const run = promisify(execFile);
const FIXTURES = 'test/fixtures/diagnostics';
const NOW = '2025-11-28T10:45:00Z'; // five minutes after the fixture orders were processed

async function audit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, cliArgs(['audit', ...args]), { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'mk-audit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('matchkey audit', () => {
  it('audits one Shopify order through the webhook mapping: every platform, exit 0 without errors', async () => {
    const { code, stdout } = await audit('--json', '--now', NOW, `${FIXTURES}/shopify-order.json`);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.events).toBe(1);
    expect(Object.keys(report.platforms)).toEqual([...PLATFORM_NAMES]);
    // The order carries email, phones, customer id, billing address, browser IP + UA, fbclid in landing_site and _fbp.
    expect(report.platforms.meta).toMatchObject({
      events: 1,
      sendable: 1,
      coverage: { em: 1, ph: 1, external_id: 1, fbc: 1, fbp: 1, client_ip_address: 1, client_user_agent: 1, fn: 1, ln: 1, ct: 1, st: 1, zp: 1, country: 1, db: 0, ge: 0 },
      readiness: 9.9,
    });
    expect(report.platforms.tiktok.coverage).toEqual({ email: 1, phone: 1, external_id: 1, ttclid: 0, ttp: 0, ip: 1, user_agent: 1 });
    expect(report.platforms.google.coverage).toEqual({ emailAddress: 1, phoneNumber: 1, gclid: 0, address: 1 });
    expect(report.platforms.klaviyo).toMatchObject({ coverage: { email: 1, phone_number: 1, external_id: 1 }, readiness: 10 });
    // An exported order carries no _ga cookie: GA4 would count it as Unassigned.
    expect(report.platforms.ga4.coverage).toMatchObject({ client_id: 0, session_id: 0, user_id: 1, sha256_email_address: 1 });
    expect(report.warnings.map((w: { code: string; examples: string[] }) => [w.code, w.examples])).toEqual([
      ['GA4_NO_CLIENT_ID', ['order_450789469']],
      ['FBC_DERIVED', ['order_450789469']],
    ]);
    expect(stdout).not.toMatch(/shopper\.one|6135550135|Park Ct/i);
  });

  it('exits 1 when a JSONL of orders holds error findings, each on its own order', async () => {
    const { code, stdout } = await audit('--json', '--now', NOW, `${FIXTURES}/shopify-orders.jsonl`);
    expect(code).toBe(1);
    const found = Object.fromEntries(JSON.parse(stdout).warnings.map((w: { code: string; examples: string[] }) => [w.code, w.examples]));
    expect(found).toEqual({
      SERVER_IP: ['order_450789471'],
      MISSING_CURRENCY: ['order_450789472'],
      FBC_DERIVED: ['order_450789470', 'order_450789471', 'order_450789472'],
      GA4_NO_CLIENT_ID: ['order_450789470', 'order_450789471', 'order_450789472'],
    });
  });

  it('measures against the configured destinations and server_ips with --config', async () => {
    const { code, stdout } = await audit('--json', '--now', NOW, '--config', `${FIXTURES}/meta-only.config.json`, `${FIXTURES}/shopify-order.json`);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report.platforms)).toEqual(['meta']);
    expect(report.platforms.meta.destination_id).toBe('meta-main');
    expect(report.platforms.meta.coverage.client_ip_address).toBe(0);
    expect(report.warnings.find((w: { code: string }) => w.code === 'SERVER_IP')).toMatchObject({ severity: 'error', examples: ['order_450789469'], platforms: ['meta'] });
  });

  it('prints a table labelled as our estimate', async () => {
    const { code, stdout } = await audit('--now', NOW, `${FIXTURES}/shopify-order.json`);
    expect(code).toBe(0);
    expect(stdout).toContain("Matchkey readiness (our estimate, not Meta's Event Match Quality)");
    expect(stdout).toMatch(/meta\s+1\s+1\s+9\.9\/10/);
    expect(stdout).toContain('FBC_DERIVED');
  });

  it('exits 2 on bad input, naming the file, the event and the field', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ event_name: 'purchase', event_time: 1764326400 }, { event_name: 'purchase', event_time: 1764326400, user: { email: 5 } }]));
    const invalid = await audit('--json', bad);
    expect(invalid).toMatchObject({ code: 2, stdout: '' });
    expect(invalid.stderr).toBe(`matchkey audit: ${bad}: 1.user.email: expected a string or an array of strings\n`);

    const jsonl = join(tmp, 'bad.jsonl');
    writeFileSync(jsonl, '{"event_name":"purchase","event_time":1764326400}\nnot json\n');
    const broken = await audit(jsonl);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`${jsonl} line 2: not valid JSON`);

    const missing = await audit(join(tmp, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read the file');
  });
});
