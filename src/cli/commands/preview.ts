import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load.js';
import { planDeliveries } from '../../delivery/plan.js';
import { InputError } from '../../errors.js';
import { PLATFORM_NAMES, type PlatformName } from '../../event/names.js';
import { parseCanonicalEvent } from '../../event/parse.js';
import { hashOnce } from '../../identity/hash-once.js';
import type { HashedEvent, IdentityOptions } from '../../identity/types.js';
import { platformFor } from '../../platforms/registry.js';
import { readJsonRecords, type JsonRecord } from '../../sources/file/json-records.js';
import type { CommonSettings, Platform, PlatformRequest } from '../../platforms/types.js';

// `matchkey preview`: shows the exact requests the gateway would send to one platform for the given events,
// secrets masked, without sending anything. Events go through the same path as ingestion: parse → hashOnce →
// the platform's skip rule → batches of at most maxBatch → buildRequest.

export const MASK = '***';

export interface PreviewLine {
  platform: PlatformName;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface PreviewResult {
  requests: PreviewLine[];
  /** One line per skipped event: `skipped <event_id>: <reason>`. */
  skipped: { event_id: string; reason: string }[];
  /** Identity findings for this platform, one per line. */
  findings: { event_id: string; code: string; field?: string; detail?: string }[];
}

/** One event as read (see readJsonRecords), and the file or stream it came from. */
export interface EventInput extends JsonRecord {
  source: string;
}

/** Values of the platform's secret settings (dotted paths such as `oauth.client_secret`). */
export function secretValues(settings: CommonSettings, secretSettings: readonly string[]): string[] {
  const values: string[] = [];
  for (const path of secretSettings) {
    let v: unknown = settings;
    for (const key of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    if (typeof v === 'string' && v !== '') values.push(v);
  }
  // Longest first, so a secret containing another is masked whole.
  return values.sort((a, b) => b.length - a.length);
}

function maskString(s: string, secrets: string[]): string {
  let out = s;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  // A secret may appear URL-encoded in a query string.
  for (const secret of secrets) {
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(MASK);
  }
  return out;
}

/** Every occurrence of a secret value — in the URL, a header, or anywhere in the body — becomes `***`. */
export function maskSecrets<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return maskString(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/**
 * Why the gateway would not send this event to this destination: the ingest plan (consent, then the platform's
 * own rule — src/delivery/plan.ts, the very function ingestion uses) and the worker's age limit (events older than
 * the platform accepts are taken out before batching). Preview events arrive like API events: not test orders.
 */
export function gatewaySkipReason(event: HashedEvent, platform: Platform<CommonSettings>, settings: CommonSettings, nowSec: number): string | null {
  const [plan] = planDeliveries(event, [settings], { test: false, source: 'api', platformFor: () => platform });
  if (plan?.status === 'skipped') return plan.skip_reason ?? 'skipped';
  const maxAge = platform.maxEventAgeFor?.(settings) ?? platform.maxEventAgeSec;
  if (maxAge !== undefined && event.event_time < nowSec - maxAge) return 'too_old';
  return null;
}

export interface PreviewOptions {
  platform: Platform<CommonSettings>;
  settings: CommonSettings;
  identity: IdentityOptions;
  nowSec: number;
}

/** Raw input events → the requests, skips and findings `matchkey preview` prints. Throws InputError on bad input. */
export function previewEvents(inputs: EventInput[], opts: PreviewOptions): PreviewResult {
  const { platform, settings } = opts;
  const result: PreviewResult = { requests: [], skipped: [], findings: [] };
  const sendable: HashedEvent[] = [];
  for (const input of inputs) {
    let canonical;
    try {
      canonical = parseCanonicalEvent(input.raw, input.prefix);
    } catch (err) {
      // JSONL: the path is relative to the line; the message names the line.
      if (err instanceof InputError && input.line !== undefined) err.message = `${input.source} line ${input.line}: ${err.message}`;
      throw err;
    }
    const hashed = hashOnce(canonical, { ...opts.identity, includeContact: platform.name === 'klaviyo' });
    for (const f of [...hashed.findings, ...(platform.lint?.(hashed, settings) ?? [])]) {
      if (f.platforms && !f.platforms.includes(platform.name)) continue;
      result.findings.push({ event_id: hashed.event_id, code: f.code, field: f.field, detail: f.detail });
    }
    const reason = gatewaySkipReason(hashed, platform, settings, opts.nowSec);
    if (reason) result.skipped.push({ event_id: hashed.event_id, reason });
    else sendable.push(hashed);
  }
  // Previews show a placeholder token: the real one is short-lived and fetched by the worker.
  const ctx = { now: opts.nowSec, ...(platform.fetchAccessToken ? { accessToken: MASK } : {}) };
  const secrets = secretValues(settings, platform.secretSettings);
  for (let i = 0; i < sendable.length; i += platform.maxBatch) {
    const request: PlatformRequest = platform.buildRequest(sendable.slice(i, i + platform.maxBatch), settings, ctx);
    result.requests.push(maskSecrets({ platform: platform.name, method: request.method, url: request.url, headers: request.headers, body: request.body }, secrets));
  }
  return result;
}

function isPlatformName(name: string): name is PlatformName {
  return (PLATFORM_NAMES as readonly string[]).includes(name);
}

/** The destination settings to preview with: the config's destination, or the platform's placeholders. */
export function previewSettings(platform: Platform<CommonSettings>, configPath: string | undefined, destinationId: string | undefined): { settings: CommonSettings; identity: IdentityOptions } {
  if (!configPath) {
    if (destinationId) throw new InputError('--destination', 'needs --config FILE');
    return { settings: platform.placeholderSettings, identity: {} };
  }
  const config = loadConfigFile(configPath);
  const candidates = config.destinations.filter((d) => d.platform === platform.name && (destinationId === undefined || d.id === destinationId));
  const settings = candidates[0];
  if (!settings) {
    const which = destinationId ? `destination "${destinationId}" of platform ${platform.name}` : `${platform.name} destination`;
    throw new InputError('destinations', `${configPath} has no enabled ${which}`, 'no_destination');
  }
  const identity: IdentityOptions = { serverIps: config.server_ips };
  if (config.default_country) identity.defaultCountry = config.default_country;
  return { settings, identity };
}

function readInput(file: string | undefined): { text: string; source: string } {
  if (file === undefined || file === '-') {
    if (file === undefined && process.stdin.isTTY) {
      throw new InputError('', 'no input: give FILE, or pipe events on stdin (use - to read stdin explicitly)', 'no_input');
    }
    try {
      return { text: readFileSync(0, 'utf8'), source: 'stdin' };
    } catch {
      throw new InputError('', 'cannot read stdin', 'input_unreadable');
    }
  }
  try {
    return { text: readFileSync(file, 'utf8'), source: file };
  } catch {
    throw new InputError('', `cannot read input file ${file}`, 'input_unreadable');
  }
}

interface PreviewCliOptions {
  platform: string;
  config?: string;
  destination?: string;
}

function runPreview(file: string | undefined, options: PreviewCliOptions): void {
  if (!isPlatformName(options.platform)) {
    throw new InputError('--platform', `unknown platform "${options.platform}" (expected one of ${PLATFORM_NAMES.join(', ')})`, 'unknown_platform');
  }
  const platform = platformFor(options.platform);
  const { settings, identity } = previewSettings(platform, options.config, options.destination);
  const { text, source } = readInput(file);
  const inputs: EventInput[] = readJsonRecords(text, source).map((record) => ({ ...record, source }));
  const result = previewEvents(inputs, { platform, settings, identity, nowSec: Math.floor(Date.now() / 1000) });
  for (const f of result.findings) {
    process.stderr.write(`finding ${f.event_id} ${f.code} ${f.field ?? '-'}${f.detail ? ` ${f.detail}` : ''}\n`);
  }
  for (const s of result.skipped) process.stderr.write(`skipped ${s.event_id}: ${s.reason}\n`);
  for (const r of result.requests) process.stdout.write(`${JSON.stringify(r)}\n`);
}

export function registerPreview(command: Command): void {
  command
    .argument('[file]', 'canonical events: one JSON object, a JSON array, or JSONL; - or nothing reads stdin')
    .requiredOption('--platform <name>', `platform to preview: ${PLATFORM_NAMES.join(' | ')}`)
    .option('--config <file>', 'use the settings of this configuration (default: placeholder settings)')
    .option('--destination <id>', 'which destination of the platform in --config (default: the first)')
    .addHelpText(
      'after',
      '\nPrints one JSON line per request on stdout: {"platform","method","url","headers","body"}, secrets as ***.\n' +
        'Identity findings and skipped events go to stderr. Exit code 2 on bad input.',
    )
    .action((file: string | undefined, options: PreviewCliOptions) => {
      try {
        runPreview(file, options);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        process.stderr.write(`matchkey preview: ${err.message}\n`);
        process.exitCode = 2;
      }
    });
}
