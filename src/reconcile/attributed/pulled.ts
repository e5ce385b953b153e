import { authFailure, permanent, retryable, type DeliveryError } from '../../errors.js';
import type { PlatformName } from '../../event/names.js';
import { eachDay, type IsoDate } from '../dates.js';
import type { AttributedRow, AttributionWindow } from '../types.js';

// Attributed conversions read from the platforms' own reporting APIs (`matchkey reconcile --attributed platforms`,
// the dashboard's Reconciliation page). Each platform's read client lives in its folder
// (src/platforms/<platform>/attributed.ts, with the endpoint, parameters and permissions in its README); this file
// holds what they share: the result shape, the HTTP read with its mapping onto the closed error set of
// src/errors.ts, and the loop over the configured destinations, which reports a platform that cannot be read
// beside the others instead of failing the whole report.

/** What one platform attributed per day, and the attribution window it counted them with. */
export interface PulledAttribution {
  platform: PlatformName;
  destination_id: string;
  /** The window the figures were counted with: the one requested from the API, or the one the platform applies. */
  window: AttributionWindow;
  /** How the window is known: `requested` (sent as a parameter of the read) or `account_setting` (the platform applies its own, see the platform README). */
  window_source: 'requested' | 'account_setting';
  /** The window in the platform's own words (`action_attribution_windows=7d_click,1d_view`). */
  window_detail: string;
  /** The API read, without credentials: `GET /v26.0/act_…/insights`. */
  endpoint: string;
  /** The ad account's currency when the API states it. */
  currency?: string;
  /** One entry per day of the range the platform reported (days it did not report are absent, not zero). */
  days: { date: IsoDate; conversions: number; value: number }[];
}

export interface AttributedReadRange {
  from: IsoDate;
  to: IsoDate;
  /** `--window` for this platform: requested from APIs that take a window; reported beside those that do not. */
  window?: AttributionWindow;
}

export interface AttributedPullFailure {
  platform: PlatformName;
  destination_id: string;
  error: DeliveryError;
}

export interface AttributedPullSkip {
  platform: PlatformName;
  destination_id: string;
  /** `not_configured`: the destination lacks what the read needs (named in `reason`); `no_read_api`: Matchkey reads nothing from this platform. */
  kind: 'not_configured' | 'no_read_api';
  reason: string;
}

export interface AttributedPullResult {
  pulled: PulledAttribution[];
  failed: AttributedPullFailure[];
  /** Destinations of platforms Matchkey reads, missing what the read needs (named), or of platforms with no read API. */
  skipped: AttributedPullSkip[];
}

/** A read that failed, already classified (auth / retryable / permanent) at the edge where it happened. */
export class AttributedReadError extends Error {
  constructor(readonly error: DeliveryError) {
    super(error.message);
    this.name = 'AttributedReadError';
  }
}

export type Fetch = typeof fetch;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reporting APIs write numbers as numbers or as numeric strings ("12", "345.67"). */
export function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

const READ_TIMEOUT_MS = 30_000;

/**
 * One HTTP read. Answers the platform's error body as a DeliveryError: `platformError` maps the codes a platform
 * puts in its body (Meta's OAuthException 190, TikTok's 40105 in an HTTP 200); otherwise the status decides:
 * 401/403 auth, 429 and 5xx retryable, other 4xx permanent. A network failure or timeout is retryable.
 */
export async function readJson(
  fetchFn: Fetch,
  url: string,
  init: RequestInit,
  platformError?: (status: number, body: unknown) => DeliveryError | null,
): Promise<unknown> {
  let response: Response;
  let text: string;
  try {
    response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(READ_TIMEOUT_MS) });
    text = await response.text();
  } catch (err) {
    const timeout = err instanceof DOMException && err.name === 'TimeoutError';
    throw new AttributedReadError(retryable(timeout ? 'TIMEOUT' : 'NETWORK', timeout ? `no answer within ${READ_TIMEOUT_MS / 1000} s` : `network error: ${(err as Error).message}`));
  }
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    const status = response.status;
    throw new AttributedReadError(status >= 500 ? retryable(`HTTP_${status}`, `HTTP ${status}: the answer is not JSON`) : permanent(`HTTP_${status}`, `HTTP ${status}: the answer is not JSON`));
  }
  const specific = platformError?.(response.status, body);
  if (specific) throw new AttributedReadError(specific);
  if (response.ok) return body;
  const message = errorMessage(body);
  const what = `HTTP ${response.status}${message ? `: ${message}` : ''}`;
  const code = `HTTP_${response.status}`;
  if (response.status === 401 || response.status === 403) throw new AttributedReadError(authFailure(code, what));
  if (response.status === 429 || response.status >= 500) throw new AttributedReadError(retryable(code, what));
  throw new AttributedReadError(permanent(code, what));
}

/** The message of the usual error shapes: `{error: {message}}`, `{message}`, `[{error: {message}}]` (Google's stream). */
export function errorMessage(body: unknown): string | undefined {
  const first = Array.isArray(body) ? body[0] : body;
  if (!isObject(first)) return undefined;
  const inner = isObject(first.error) ? first.error.message : first.message;
  return typeof inner === 'string' ? inner : undefined;
}

/** Splits [from, to] into consecutive pieces of at most `maxDays` days (APIs that cap a report's range). */
export function chunkRange(from: IsoDate, to: IsoDate, maxDays: number): { from: IsoDate; to: IsoDate }[] {
  const days = eachDay(from, to);
  const out: { from: IsoDate; to: IsoDate }[] = [];
  for (let i = 0; i < days.length; i += maxDays) out.push({ from: days[i]!, to: days[Math.min(i + maxDays, days.length) - 1]! });
  return out;
}

/** Adds a day's figures into a per-day map (several campaign rows, several pages, several conversion actions). */
export function addDay(byDay: Map<IsoDate, { conversions: number; value: number }>, date: IsoDate, conversions: number, value: number): void {
  const day = byDay.get(date) ?? { conversions: 0, value: 0 };
  day.conversions += conversions;
  // Cents are what the platforms report; rounding here keeps 0.1 + 0.2 from showing as 0.30000000000000004.
  day.value = Math.round((day.value + value) * 1e6) / 1e6;
  byDay.set(date, day);
}

export function daysOf(byDay: Map<IsoDate, { conversions: number; value: number }>): PulledAttribution['days'] {
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([date, d]) => ({ date, conversions: d.conversions, value: d.value }));
}

/** The report's rows for pulled figures: one per platform day, named by destination and endpoint for messages. */
export function rowsOf(pulled: readonly PulledAttribution[]): AttributedRow[] {
  return pulled.flatMap((p) =>
    p.days.map((d) => ({
      platform: p.platform,
      date: d.date,
      conversions: d.conversions,
      value: d.value,
      ...(p.currency ? { currency: p.currency } : {}),
      source: `${p.destination_id}: ${p.endpoint} ${d.date}`,
    })),
  );
}
