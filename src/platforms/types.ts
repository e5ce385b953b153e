import type { z } from 'zod';
import type { DeliveryError } from '../errors.js';
import type { PlatformName } from '../event/names.js';
import type { Finding } from '../identity/findings.js';
import type { HashedEvent } from '../identity/types.js';

/** The full HTTP request a platform builder produces. `body` is JSON-serializable. */
export interface PlatformRequest {
  /** GET only for follow-up status checks (Google Data Manager requestStatus), which carry no body. */
  method: 'POST' | 'GET';
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** What came back from the platform (or the simulator), as the delivery worker hands it to `classify`. */
export interface PlatformResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** Parsed JSON when the body was JSON, else the raw text ('' when empty). */
  body: unknown;
}

export type EventResult = { ok: true } | { ok: false; error: DeliveryError };

export interface ClassifiedResponse {
  /** One result per event of the request, in request order. */
  results: EventResult[];
  /**
   * True when the platform refused the request as a whole because of (at least) one event in it, without
   * saying which (Meta's 400 for one invalid parameter): the worker splits the batch to isolate the bad event.
   */
  wholeBatch: boolean;
}

export interface BuildContext {
  /** Unix seconds "now" (for adjustment times and the like); builders are otherwise pure. */
  now: number;
  /** A short-lived OAuth access token obtained by `Platform.fetchAccessToken` (Google), when the platform needs one. */
  accessToken?: string;
}

/** A minimal HTTP POST for token exchanges, supplied by the delivery worker (real HTTP, honours base_url). */
export type FormPost = (url: string, form: Record<string, string>) => Promise<PlatformResponse>;

/** The common destination settings every platform accepts (docs/CONFIGURATION.md "Destinations"). */
export interface CommonSettings {
  id: string;
  platform: PlatformName;
  /** scheme://host[:port] replacing the platform's host; the path stays. */
  base_url?: string;
  /** Send through the platform's test mode (Meta/TikTok test_event_code, Pinterest ?test=true, Google validateOnly). */
  test?: boolean;
}

/**
 * One ad platform: everything Matchkey knows about its wire format lives in its folder and is exposed here.
 * Adding a platform = one folder exporting this + one line in `registry.ts`.
 */
export interface Platform<S extends CommonSettings = CommonSettings> {
  name: PlatformName;
  /** Largest number of events in one request. */
  maxBatch: number;
  /** Events older than this (seconds) are refused by the platform; the worker takes them out before batching. */
  maxEventAgeSec?: number;
  /** When the age limit depends on the destination's settings (Google enhancement adjustments: 24 h); else maxEventAgeSec. */
  maxEventAgeFor?(settings: S): number;
  /** Canonical event name → this platform's name; `null` = not sent to this platform. */
  eventName(canonical: string, settings: S): string | null;
  /** Validates this platform's destination settings (including the common ones). */
  settingsSchema: z.ZodType<S>;
  /** Placeholder settings for `matchkey preview` without a config (PIXEL_ID, …). */
  placeholderSettings: S;
  /** Names of settings whose values are secrets: masked as *** wherever a request is shown. */
  secretSettings: readonly string[];
  /** Whether this destination sends through the platform's test mode. */
  isTestMode(settings: S): boolean;
  /**
   * Why this event is not sent to this destination (null = it is sent). Consent and test-order rules are applied
   * by the gateway for every platform; this is the platform's own rule (no mapped event name, no usable key, …).
   */
  skipReason(event: HashedEvent, settings: S): string | null;
  /** Pure: a batch (1..maxBatch events, all sendable) → the full request. */
  buildRequest(events: HashedEvent[], settings: S, ctx: BuildContext): PlatformRequest;
  /**
   * Platforms whose API wants a short-lived OAuth token (Google): exchanges the configured refresh token.
   * The worker caches the token until `expiresAt` (unix seconds) and passes it in BuildContext.accessToken.
   */
  fetchAccessToken?(settings: S, post: FormPost): Promise<{ token: string; expiresAt: number }>;
  /**
   * Whether this platform takes `refund` events (Shopify refunds/create). Every other platform skips them: an ad
   * platform would read a refund as one more conversion.
   */
  sendsRefunds?: boolean;
  /**
   * false: browser-leg events other than purchases go server-side only with `send_browser_events: true` (a platform
   * that does not deduplicate against its own tag by event_id would count them twice). Default true.
   */
  browserEventsByDefault?: boolean;
  /**
   * Findings only this platform's rules produce (what it would drop or misattribute without an error), added by
   * diagnostics, `matchkey audit` and preview for events it receives.
   */
  lint?(event: HashedEvent, settings: S): Finding[];
  /** Maps the platform's answer to one result per event (closed error set of src/errors.ts). */
  classify(response: PlatformResponse, batchSize: number): ClassifiedResponse;
  /**
   * Platforms that accept a request first and process its events later (Google Data Manager API): how the worker
   * asks for the outcome of an accepted request. Without it, an accepted event is delivered.
   */
  followUp?: FollowUp<S>;
}

/** What a status check found for one event of an accepted request. */
export type CheckedResult = { ok: true; note?: string } | { ok: false; error: DeliveryError };

export type StatusCheck =
  /** Not processed yet: ask again later. */
  | { state: 'processing' }
  /** Processed: one result per event of the original request, in its order. */
  | { state: 'done'; results: CheckedResult[] }
  /** The check itself failed (network, auth, quota): ask again later. */
  | { state: 'unknown'; error: DeliveryError };

export interface FollowUp<S extends CommonSettings = CommonSettings> {
  /** The handle to check from an accepted answer (Google's `requestId`), or null when there is nothing to check. */
  ticket(response: PlatformResponse): string | null;
  /** Milliseconds after acceptance before the first check. */
  firstCheckAfterMs(settings: S): number;
  buildCheck(ticket: string, settings: S, ctx: BuildContext): PlatformRequest;
  /** `events` are the original request's events, in order. */
  classifyCheck(response: PlatformResponse, events: HashedEvent[], settings: S): StatusCheck;
}

/** `https://graph.facebook.com/v26.0/1/events` with base_url `http://127.0.0.1:9000` → `http://127.0.0.1:9000/v26.0/1/events`. */
export function withBaseUrl(url: string, baseUrl: string | undefined): string {
  if (!baseUrl) return url;
  const u = new URL(url);
  return baseUrl.replace(/\/+$/, '') + u.pathname + u.search;
}
