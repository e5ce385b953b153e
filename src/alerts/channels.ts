import nodemailer from 'nodemailer';
import type { AlertChannel } from './config.js';

// Where an alert goes. Three kinds: a generic webhook (the alert as JSON), a Slack-compatible incoming webhook
// (`{"text": …}`, the shape Slack documents at https://api.slack.com/messaging/webhooks and Mattermost, Discord's
// /slack endpoint and others accept), and e-mail over SMTP (nodemailer, https://nodemailer.com/smtp/).
// Channel URLs carry their secret in the path, so errors name the channel id, never the URL.

export interface AlertMessage {
  /** `firing` when an incident opens, `resolved` when it clears, `test` from `matchkey alerts test`. */
  status: 'firing' | 'resolved' | 'test';
  rule: string;
  subject: string;
  message: string;
  /** Unix ms when the incident opened (or the test was sent). */
  opened_at: number;
  resolved_at?: number;
  incident_id?: number;
}

export class AlertChannelError extends Error {
  constructor(
    readonly channelId: string,
    detail: string,
  ) {
    super(`alert channel "${channelId}": ${detail}`);
  }
}

const SEND_TIMEOUT_MS = 10_000;

/** `[Matchkey alert] destination_paused (meta)`: the e-mail subject and the head of every text. */
export function alertHeadline(m: AlertMessage): string {
  const head = m.status === 'firing' ? '[Matchkey alert]' : m.status === 'resolved' ? '[Matchkey resolved]' : '[Matchkey test]';
  return `${head} ${m.rule} (${m.subject})`;
}

export function alertText(m: AlertMessage): string {
  return `${alertHeadline(m)}: ${m.message}`;
}

async function post(channel: AlertChannel & { url: string }, body: unknown): Promise<void> {
  let res: Response;
  try {
    res = await fetch(channel.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (err) {
    const name = err instanceof Error ? err.name : 'error';
    throw new AlertChannelError(channel.id, name === 'TimeoutError' ? `no answer within ${SEND_TIMEOUT_MS / 1000} s` : 'the webhook could not be reached');
  }
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new AlertChannelError(channel.id, `the webhook answered HTTP ${res.status}`);
}

export async function sendAlert(channel: AlertChannel, m: AlertMessage): Promise<void> {
  if (channel.type === 'webhook') return post(channel, { source: 'matchkey', ...m });
  if (channel.type === 'slack') return post(channel, { text: alertText(m) });
  const { smtp } = channel;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user !== undefined ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  try {
    await transport.sendMail({ from: channel.from, to: channel.to, subject: alertHeadline(m), text: `${alertText(m)}\n\n${JSON.stringify(m, null, 2)}\n` });
  } catch (err) {
    // nodemailer's messages may quote the server's reply but not the password; keep only its code.
    const code = (err as { code?: unknown; responseCode?: unknown }).responseCode ?? (err as { code?: unknown }).code;
    throw new AlertChannelError(channel.id, `the SMTP server refused or could not be reached${code !== undefined ? ` (${String(code)})` : ''}`);
  } finally {
    transport.close();
  }
}

/** Sends to every channel side by side; returns the failures (one per channel that failed). */
export async function sendToAll(channels: readonly AlertChannel[], m: AlertMessage): Promise<AlertChannelError[]> {
  const results = await Promise.allSettled(channels.map((c) => sendAlert(c, m)));
  return results.flatMap((r, i) =>
    r.status === 'fulfilled' ? [] : [r.reason instanceof AlertChannelError ? r.reason : new AlertChannelError(channels[i]!.id, 'sending failed')],
  );
}
