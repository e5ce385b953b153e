import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  configObject,
  deliveryRows,
  destinationsFor,
  freshOrder,
  postEvents,
  postShopify,
  purchase,
  runCli,
  simBehaviour,
  startInProcess,
  startSim,
  tempDir,
  waitFor,
  writeConfig,
  INGEST_KEY,
  type InProcessGateway,
  type Sim,
} from './harness.js';

// Alerts end to end: the real gateway and the platform simulators, a webhook receiver and a real SMTP server
// (smtp-server) on loopback. The webhook paths and the SMTP password are canaries: never in the log, never in the API.

const HOOK_SECRET = 'T000-hook-secret-canary';
const SMTP_PASSWORD = 'smtp-password-canary';

interface Received {
  path: string;
  body: any;
}

async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((r) => server.close(() => r())) };
}

async function startSmtp(): Promise<{ port: number; mails: string[]; users: string[]; close: () => Promise<void> }> {
  const mails: string[] = [];
  const users: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === SMTP_PASSWORD) {
        users.push(auth.username);
        cb(null, { user: auth.username });
      } else cb(new Error('bad credentials'));
    },
    onData(stream, _session, cb) {
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString()));
      stream.on('end', () => {
        mails.push(text);
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, users, close: () => new Promise((r) => server.close(() => r())) };
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

function alertsConfig(receiverUrl: string, smtpPort: number, rules: Record<string, unknown>): Record<string, unknown> {
  return {
    interval_s: 1,
    channels: [
      { id: 'ops', type: 'webhook', url: `${receiverUrl}/generic/${HOOK_SECRET}` },
      { id: 'slack', type: 'slack', url: `${receiverUrl}/slack/${HOOK_SECRET}` },
      { id: 'mail', type: 'email', smtp: { host: '127.0.0.1', port: smtpPort, user: 'alerts', password: SMTP_PASSWORD }, from: 'matchkey@shop.example', to: ['ops@shop.example'] },
    ],
    rules,
  };
}

async function setUp(rules: Record<string, unknown>, names: Parameters<typeof destinationsFor>[1] = ['meta']) {
  const sim: Sim = await startSim();
  cleanups.push(() => sim.close());
  const receiver = await startReceiver();
  cleanups.push(receiver.close);
  const smtp = await startSmtp();
  cleanups.push(smtp.close);
  const dir = tempDir('mk-alerts-');
  const raw = configObject(dir, destinationsFor(sim.url, names), { alerts: alertsConfig(receiver.url, smtp.port, rules) });
  const start = async (edit?: (raw: Record<string, unknown>) => void): Promise<InProcessGateway> => {
    edit?.(raw);
    const gw = await startInProcess(dir, raw);
    cleanups.push(() => gw.close());
    return gw;
  };
  return { sim, receiver, smtp, dir, raw, start };
}

const generic = (received: Received[]) => received.filter((r) => r.path.startsWith('/generic/')).map((r) => r.body);

describe('alerts', () => {
  it('a destination answering 401 fires one alert to every channel, survives a restart without firing again, and resolves once when it recovers', async () => {
    const { receiver, smtp, start } = await setUp({ destination_paused: true }, ['pinterest']);
    // The simulator answers a revoked token with Pinterest's 401 (code 2, "Authentication failed").
    const pinterest = (raw: Record<string, unknown>, token: string) => {
      const destinations = raw.destinations as Record<string, unknown>[];
      destinations[0] = { ...destinations[0], access_token: token };
    };
    let gw = await start((raw) => pinterest(raw, 'expired-token'));
    expect((await postEvents(gw.url, { events: [purchase('alert_1')] }, { authorization: `Bearer ${INGEST_KEY}` })).status).toBe(202);

    const firing = await waitFor('the firing alert', () => generic(receiver.received).find((b) => b.status === 'firing'));
    expect(firing).toMatchObject({ source: 'matchkey', status: 'firing', rule: 'destination_paused', subject: 'pinterest' });
    expect(firing.message).toContain('is paused');
    const slack = await waitFor('the Slack message', () => receiver.received.find((r) => r.path.startsWith('/slack/')));
    expect(Object.keys(slack.body)).toEqual(['text']);
    expect(slack.body.text).toMatch(/^\[Matchkey alert\] destination_paused \(pinterest\)/);
    const mail = await waitFor('the e-mail', () => smtp.mails[0]);
    expect(mail).toContain('Subject: [Matchkey alert] destination_paused (pinterest)');
    expect(smtp.users).toContain('alerts');

    // More evaluations while still paused: no second alert.
    await gw.alerts!.tick();
    await gw.alerts!.tick();
    expect(generic(receiver.received).filter((b) => b.status === 'firing')).toHaveLength(1);

    // The operator fixes the token and restarts: the incident is remembered, not sent again.
    await gw.close();
    gw = await start((raw) => pinterest(raw, 'pinterest-token'));
    await gw.alerts!.tick();
    const listed = await fetch(`${gw.url}/api/alerts?open=true`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const api = (await listed.json()) as any;
    expect(api.incidents).toHaveLength(1);
    expect(api.incidents[0]).toMatchObject({ rule: 'destination_paused', subject: 'pinterest', resolved_at: null });
    expect(api.channels).toEqual([
      { id: 'ops', type: 'webhook' },
      { id: 'slack', type: 'slack' },
      { id: 'mail', type: 'email' },
    ]);
    expect(JSON.stringify(api)).not.toContain(HOOK_SECRET);
    expect(generic(receiver.received)).toHaveLength(1);

    // The next purchase is delivered: one resolution.
    await postEvents(gw.url, { events: [purchase('alert_2')] }, { authorization: `Bearer ${INGEST_KEY}` });
    const resolved = await waitFor('the resolution', () => generic(receiver.received).find((b) => b.status === 'resolved'));
    expect(resolved).toMatchObject({ rule: 'destination_paused', subject: 'pinterest', incident_id: firing.incident_id });
    await gw.alerts!.tick();
    expect(generic(receiver.received).map((b) => b.status)).toEqual(['firing', 'resolved']);
    await waitFor('the resolution e-mail', () => smtp.mails.find((m) => m.includes('[Matchkey resolved]')));

    const log = readFileSync(gw.logPath, 'utf8');
    expect(log).toContain('alert resolved: destination_paused (pinterest)');
    expect(log).not.toContain(HOOK_SECRET);
    expect(log).not.toContain(SMTP_PASSWORD);
  }, 60_000);

  it('fires when a platform accepted fewer paid orders than the threshold, and not for the platform that took them all', async () => {
    const { sim, receiver, start } = await setUp({ destination_paused: false, delivered_share: { below_percent: 90, window_hours: 1, settle_minutes: 0, min_orders: 1 } }, ['meta', 'tiktok']);
    await simBehaviour(sim, { platform: 'meta', mode: 'reject_events' });
    const gw = await start();
    const order = freshOrder('orders-paid.json', { ageSec: 60 });
    expect((await postShopify(gw.url, order.raw, { topic: 'orders/paid', webhookId: 'wh-alert-1' })).status).toBe(200);
    await waitFor('meta rejected and tiktok delivered', () => {
      const rows = deliveryRows(gw.dbPath);
      return rows.some((r) => r.destination_id === 'meta' && r.status === 'rejected') && rows.some((r) => r.destination_id === 'tiktok' && r.status === 'delivered');
    });
    await gw.alerts!.tick();
    const alerts = await waitFor('the share alert', () => {
      const got = generic(receiver.received);
      return got.length > 0 ? got : undefined;
    });
    await gw.alerts!.tick();
    expect(generic(receiver.received)).toEqual(alerts);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: 'firing', rule: 'delivered_share', subject: 'meta' });
    expect(alerts[0].message).toContain('0 of 1 paid orders of record (0.0%)');
  }, 60_000);

  it('`matchkey alerts test` reaches every channel and prints no secret', async () => {
    const { receiver, smtp, dir, raw } = await setUp({});
    const path = writeConfig(dir, raw);
    const result = await runCli(['alerts', 'test', '--config', path]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('ok   ops (webhook)\nok   slack (slack)\nok   mail (email)\n');
    expect(generic(receiver.received)).toEqual([expect.objectContaining({ status: 'test', rule: 'test' })]);
    expect(receiver.received.find((r) => r.path.startsWith('/slack/'))?.body.text).toMatch(/^\[Matchkey test\]/);
    expect(smtp.mails[0]).toContain('Subject: [Matchkey test]');

    await smtp.close();
    const failed = await runCli(['alerts', 'test', '--config', path]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAIL mail (email): alert channel "mail": the SMTP server refused or could not be reached');
    expect(failed.stdout + failed.stderr).not.toContain(HOOK_SECRET);
    expect(failed.stdout + failed.stderr).not.toContain(SMTP_PASSWORD);
    cleanups = cleanups.filter((c) => c !== smtp.close);
  }, 60_000);
});
