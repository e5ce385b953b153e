import type { DeliveryError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { ClaimedDelivery, DeliveryUpdate, OutboxStore } from '../outbox/types.js';
import { platformFor as registryPlatformFor } from '../platforms/registry.js';
import type { CommonSettings, EventResult, Platform, PlatformRequest } from '../platforms/types.js';
import { AUTH_RETRY_MS, backoffMs } from './backoff.js';
import { FollowUps } from './follow-up.js';
import { HttpSender, type SendResult } from './http.js';
import type { PlatformResolver } from './plan.js';
import { DEFAULT_RATE_LIMITS } from './rate-limits.js';
import { Sleeper } from './sleeper.js';
import { TokenBucket, type RateLimit } from './token-bucket.js';

// The delivery worker: one loop per destination claims due rows, sends them in batches, and records each
// outcome. Decisions, in one place:
// - Too-old events are taken out BEFORE batching (dead, `too_old`): Meta refuses a whole request when one event
//   is older than 7 days (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event;
//   src/platforms/meta/README.md), so one stale event must not sink its batch.
// - A whole-batch refusal (`wholeBatch`) is split in halves, recursively, until the bad events are isolated:
//   only they are rejected. The intermediate refusals are reported to the observer (outcome `split`) but not
//   recorded as attempts of the rows, whose record is the request that decided them.
// - Retry-After pauses the whole destination until the deadline: no request goes out before it; rows claimed
//   but not yet sent are released and claimed again after the pause.
// - An auth failure (credentials refused, or a permission or object they cannot reach — Meta's 10, 200–299 and
//   100/33) parks the destination for AUTH_RETRY_MS and logs an error naming it: nothing can get
//   through until the operator fixes the credentials, and hammering a rejected token risks the app being
//   throttled or flagged. The rows wait pending (they count towards dead like any retryable failure).
// - A request whose every event failed retryably (5xx, a timeout, a refused connection, a rate-limit answer)
//   means the destination is down, not the events: the destination pauses (1 s, doubling to 30 s) and then
//   sends ONE probe batch at a time until an answer comes back — at most one request per pause to a platform
//   in trouble, no busy loop, and the rows not in a probe keep their place, due the moment it recovers.
// - A retryable row is dead only once it has had max_attempts attempts AND max_hours have passed since its
//   first attempt, so both a burst of quick failures and a long outage are survived.
// - A platform that processes accepted events later (`followUp`: Google's Data Manager API) hands the rows of an
//   accepted request to FollowUps (follow-up.ts), which records them once the platform says how they ended.

export interface AttemptObservation {
  destination_id: string;
  platform: string;
  /** delivered | retryable | permanent | auth | network | split | mixed | accepted (processed later: Google Data Manager) */
  outcome: string;
  http_status?: number;
  latency_ms: number;
  events: number;
}

export interface DeliveryObserver {
  onAttempt?(attempt: AttemptObservation): void;
}

export interface DeliveryWorkerOptions {
  store: OutboxStore;
  destinations: readonly CommonSettings[];
  delivery: { max_attempts: number; max_hours: number; request_timeout_ms: number; max_retry_after_s?: number };
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  observer?: DeliveryObserver;
  /** Per destination id; defaults per platform (DEFAULT_RATE_LIMITS). */
  rateLimits?: Record<string, RateLimit>;
  /** Unix ms; tests inject a controllable clock. Sleeps still use real timers. */
  now?: () => number;
  /** Tests inject platforms; the gateway uses the registry. */
  platformFor?: PlatformResolver;
  /** Batches in flight per destination (default 3). */
  concurrency?: number;
  /** Upper bound on rows per claim (default 1000). */
  maxClaim?: number;
  /** Backoff randomness (tests). */
  random?: () => number;
}

export interface DeliveryWorker {
  /** Stops claiming, lets requests already sent finish, releases claimed rows not yet sent. */
  stop(): Promise<void>;
  /** New rows were stored (or replayed): look now instead of at the next due time. */
  wake(destinationId?: string): void;
  /** Per destination: parked for auth/permission/config, answering, or not heard from since start (alerts). */
  health(): DestinationHealth[];
}

export interface DestinationHealth {
  destination_id: string;
  platform: string;
  /** `unknown` until the platform answered once since the worker started. */
  state: 'ok' | 'paused' | 'unknown';
  /** When paused: the platform's error code and message, and since when. */
  paused?: { code: string; message: string; since: number };
}

/** Longest idle sleep: a safety net for rows made due by someone who did not call wake(). */
const IDLE_MS = 5_000;
/** Pause after the n-th request in a row that failed as a whole: 1 s, 2 s, 4 s … at most 30 s between probes. */
/** delivery.max_retry_after_s when unset: the longest pause a Retry-After may impose (docs/RELIABILITY.md). */
export const DEFAULT_MAX_RETRY_AFTER_S = 3600;
export const OUTAGE_FIRST_PAUSE_MS = 1_000;
export const OUTAGE_MAX_PAUSE_MS = 30_000;

export function outagePauseMs(consecutiveFailures: number): number {
  return Math.min(OUTAGE_MAX_PAUSE_MS, OUTAGE_FIRST_PAUSE_MS * 2 ** Math.max(0, Math.min(consecutiveFailures - 1, 20)));
}

export function startDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorker {
  const http = new HttpSender({ connections: Math.max(4, (opts.concurrency ?? 3) * 2) });
  const loops = opts.destinations.map((settings) => new DestinationLoop(settings, opts, http));
  const running = loops.map((l) => l.run());
  let stopping: Promise<void> | undefined;
  return {
    health() {
      return loops.map((l) => l.health());
    },
    wake(destinationId) {
      for (const l of loops) if (destinationId === undefined || l.settings.id === destinationId) l.wake();
    },
    stop() {
      stopping ??= (async () => {
        for (const l of loops) l.stop();
        await Promise.all(running);
        await http.close();
      })();
      return stopping;
    },
  };
}

class DestinationLoop {
  private readonly platform: Platform<CommonSettings>;
  private readonly bucket: TokenBucket;
  private readonly sleeper = new Sleeper();
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly claimLimit: number;
  private stopped = false;
  /** No request before this time (Retry-After, auth park, outage pause). */
  private pausedUntil = 0;
  /** End of the last pause a capped Retry-After imposed: one log line per capped pause, not one per row of the batch. */
  private cappedPauseUntil = 0;
  /** What the alerts read: set when auth parks the destination, cleared by the next answer that is not an auth refusal. */
  private healthState: Omit<DestinationHealth, 'destination_id' | 'platform'> = { state: 'unknown' };
  /** Requests in a row that failed as a whole; > 0 = the destination is down and is probed one batch at a time. */
  private outageFailures = 0;
  private token?: { value: string; expiresAtMs: number };
  private tokenFetch?: Promise<{ token: string } | { error: DeliveryError }>;
  /** Accepted requests whose processing outcome is checked later (platforms with `followUp`). */
  private readonly followUps: FollowUps | undefined;

  constructor(
    readonly settings: CommonSettings,
    private readonly opts: DeliveryWorkerOptions,
    private readonly http: HttpSender,
  ) {
    this.platform = (opts.platformFor ?? registryPlatformFor)(settings.platform);
    this.bucket = new TokenBucket(opts.rateLimits?.[settings.id] ?? DEFAULT_RATE_LIMITS[settings.platform]);
    this.now = opts.now ?? Date.now;
    this.leaseMs = Math.max(60_000, 4 * opts.delivery.request_timeout_ms);
    this.concurrency = Math.max(1, opts.concurrency ?? 3);
    const maxClaim = opts.maxClaim ?? 1000;
    // Single-event platforms (Klaviyo) claim several rows at once and send them side by side.
    this.claimLimit = Math.min(maxClaim, this.platform.maxBatch >= 50 ? this.platform.maxBatch : this.platform.maxBatch * 50);
    const followUp = this.platform.followUp;
    this.followUps = followUp
      ? new FollowUps({
          settings,
          followUp,
          store: opts.store,
          http,
          timeoutMs: opts.delivery.request_timeout_ms,
          leaseMs: this.leaseMs,
          now: this.now,
          accessToken: () => (this.platform.fetchAccessToken ? this.accessToken() : Promise.resolve({})),
          logger: opts.logger,
        })
      : undefined;
  }

  wake(): void {
    this.sleeper.wake();
  }

  health(): DestinationHealth {
    return { destination_id: this.settings.id, platform: this.settings.platform, ...this.healthState };
  }

  stop(): void {
    this.stopped = true;
    this.sleeper.close();
    this.followUps?.stop();
  }

  async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (!this.stopped) {
      try {
        const now = this.now();
        if (this.pausedUntil > now) {
          await this.sleeper.sleep(this.pausedUntil - now);
          continue;
        }
        const probing = this.outageFailures > 0;
        if (inFlight.size >= (probing ? 1 : this.concurrency)) {
          await Promise.race([...inFlight, this.sleeper.sleep(IDLE_MS)]);
          continue;
        }
        const rows = await this.opts.store.claim(this.settings.id, probing ? this.platform.maxBatch : this.claimLimit, now, this.leaseMs);
        if (rows.length === 0) {
          const due = await this.opts.store.nextDueAt(this.settings.id);
          const wait = due === null ? IDLE_MS : Math.min(IDLE_MS, Math.max(5, due - this.now()));
          await (inFlight.size > 0 ? Promise.race([...inFlight, this.sleeper.sleep(wait)]) : this.sleeper.sleep(wait));
          continue;
        }
        const job: Promise<void> = this.process(rows)
          .catch((err: unknown) => this.opts.logger?.error({ destination: this.settings.id, err }, 'delivery: batch failed unexpectedly'))
          .finally(() => inFlight.delete(job));
        inFlight.add(job);
      } catch (err) {
        this.opts.logger?.error({ destination: this.settings.id, err }, 'delivery: store error, retrying in 1 s');
        await this.sleeper.sleep(1000);
      }
    }
    await Promise.allSettled([...inFlight]);
    await this.followUps?.settled();
  }

  private async process(rows: ClaimedDelivery[]): Promise<void> {
    const claimedAt = this.now();
    const lease = { renewAt: claimedAt + this.leaseMs / 2, ids: rows.map((r) => r.delivery_id) };
    const fresh: ClaimedDelivery[] = [];
    const stale: DeliveryUpdate[] = [];
    const maxAge = this.platform.maxEventAgeFor?.(this.settings) ?? this.platform.maxEventAgeSec;
    for (const row of rows) {
      if (maxAge !== undefined && row.event.event_time < claimedAt / 1000 - maxAge) {
        stale.push({ delivery_id: row.delivery_id, status: 'dead', error_code: 'too_old', error_message: `event_time is more than ${maxAge} s old: the platform refuses it` });
      } else fresh.push(row);
    }
    if (stale.length > 0) await this.opts.store.complete(stale);

    const chunks: ClaimedDelivery[][] = [];
    for (let i = 0; i < fresh.length; i += this.platform.maxBatch) chunks.push(fresh.slice(i, i + this.platform.maxBatch));
    const lanes = this.platform.maxBatch === 1 && this.outageFailures === 0 ? this.concurrency : 1;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(lanes, chunks.length) }, async () => {
        while (next < chunks.length) await this.sendBatch(chunks[next++]!, lease);
      }),
    );
  }

  /** Sends one batch (splitting it on a whole-batch refusal) and records the outcome of every row in it. */
  private async sendBatch(rows: ClaimedDelivery[], lease: { renewAt: number; ids: number[] }): Promise<void> {
    if (!(await this.waitForTurn())) {
      await this.opts.store.release(rows.map((r) => r.delivery_id));
      return;
    }
    if (this.now() >= lease.renewAt) {
      lease.renewAt = this.now() + this.leaseMs / 2;
      // Every row of the claim still leased (rows already completed are not touched by renewLeases).
      await this.opts.store.renewLeases(lease.ids, this.now() + this.leaseMs);
    }

    const sentAt = this.now();
    const started = performance.now();
    const result = await this.exchange(rows, sentAt);
    const latency = Math.round(performance.now() - started);
    const answeredAt = this.now();
    const httpStatus = 'response' in result ? result.response.status : undefined;

    let results: EventResult[];
    if ('error' in result) {
      results = rows.map(() => ({ ok: false, error: result.error }));
    } else {
      const classified = this.platform.classify(result.response, rows.length);
      if (classified.wholeBatch && rows.length > 1) {
        this.observe('split', httpStatus, latency, rows.length);
        const half = Math.ceil(rows.length / 2);
        await this.sendBatch(rows.slice(0, half), lease);
        await this.sendBatch(rows.slice(half), lease);
        return;
      }
      results = classified.results;
    }

    const outageUntil = this.noteHealth(rows.map((_, i) => results[i] ?? missingResult()), answeredAt, httpStatus);
    const ticket = this.followUps && 'response' in result && results.length === rows.length && results.every((r) => r.ok) ? this.platform.followUp!.ticket(result.response) : null;
    if (ticket !== null) {
      // Accepted, not yet processed: the rows' outcome is recorded once the platform says how they ended.
      this.observe('accepted', httpStatus, latency, rows.length);
      this.followUps!.track(rows, ticket, { sentAt, latency, httpStatus });
      return;
    }
    const updates = rows.map((row, i) => this.decide(row, results[i] ?? missingResult(), { sentAt, answeredAt, latency, httpStatus, outageUntil }));
    const outcomes = new Set(updates.map((u) => u.attempt?.outcome));
    this.observe(outcomes.size === 1 ? [...outcomes][0]! : 'mixed', httpStatus, latency, rows.length);
    await this.opts.store.complete(updates);
  }

  /**
   * Waits for the rate limit; false when the worker stopped or the destination is paused. Paused rows are
   * released rather than held: a pause can outlast the lease (auth parks for minutes), and the loop claims
   * them again once the pause is over.
   */
  private async waitForTurn(): Promise<boolean> {
    if (this.stopped || this.pausedUntil > this.now()) return false;
    const wait = this.bucket.reserve();
    if (wait > 0) await this.sleeper.sleep(wait);
    // A Retry-After that arrived while we waited for the token applies to this request too.
    return !this.stopped && this.pausedUntil <= this.now();
  }

  private async exchange(rows: ClaimedDelivery[], sentAt: number): Promise<SendResult> {
    let accessToken: string | undefined;
    if (this.platform.fetchAccessToken) {
      const got = await this.accessToken();
      if ('error' in got) return got;
      accessToken = got.token;
    }
    let request: PlatformRequest;
    try {
      request = this.platform.buildRequest(
        rows.map((r) => r.event),
        this.settings,
        accessToken === undefined ? { now: Math.floor(sentAt / 1000) } : { now: Math.floor(sentAt / 1000), accessToken },
      );
    } catch (err) {
      // A builder bug or an event it cannot express: permanent, never retried in a loop.
      const error: DeliveryError = { kind: 'permanent', code: 'build_failed', message: err instanceof Error ? err.constructor.name : 'build failed' };
      return { error };
    }
    return this.http.send(request, this.opts.delivery.request_timeout_ms);
  }

  /** Google: one token per destination, cached until a minute before it expires; one fetch at a time. */
  private async accessToken(): Promise<{ token: string } | { error: DeliveryError }> {
    if (this.token && this.token.expiresAtMs - 60_000 > this.now()) return { token: this.token.value };
    this.tokenFetch ??= (async () => {
      const timeout = this.opts.delivery.request_timeout_ms;
      try {
        const got = await this.platform.fetchAccessToken!(this.settings, async (url, form) => {
          const res = await this.http.postForm(url, form, timeout);
          if ('error' in res) throw res.error;
          return res.response;
        });
        this.token = { value: got.token, expiresAtMs: got.expiresAt * 1000 };
        return { token: got.token };
      } catch (err) {
        // Platforms throw their DeliveryError, bare or wrapped (Google's TokenExchangeError carries `.error`).
        const e = ((err as { error?: unknown })?.error ?? err) as Partial<DeliveryError> | undefined;
        const code = typeof e?.code === 'string' ? e.code : 'token_fetch_failed';
        const message = typeof e?.message === 'string' ? e.message : 'could not obtain an access token';
        if (e?.kind === 'retryable') {
          return { error: e.retryAfterMs === undefined ? { kind: 'retryable', code, message } : { kind: 'retryable', code, message, retryAfterMs: e.retryAfterMs } };
        }
        // Refused at the token endpoint, for good or as unauthorized: the credentials are wrong.
        if (e?.kind === 'auth' || e?.kind === 'permanent') return { error: { kind: 'auth', code, message } };
        return { error: { kind: 'retryable', code: 'token_fetch_failed', message: 'could not obtain an access token' } };
      } finally {
        this.tokenFetch = undefined;
      }
    })();
    return this.tokenFetch;
  }

  /**
   * Outage detection: a request whose every event failed retryably opens (or keeps open) the destination's
   * outage pause and returns its end; any other answer closes it. Auth failures have their own, longer park.
   */
  private noteHealth(results: EventResult[], answeredAt: number, httpStatus: number | undefined): number | undefined {
    if (results.length > 0 && !results.every((r) => !r.ok && r.error.kind === 'auth')) this.healthState = { state: 'ok' };
    const down = results.length > 0 && results.every((r) => !r.ok && r.error.kind === 'retryable');
    if (!down) {
      if (this.outageFailures > 0) {
        this.opts.logger?.info({ destination: this.settings.id, failed_requests: this.outageFailures }, `delivery: destination "${this.settings.id}" answers again`);
      }
      this.outageFailures = 0;
      return undefined;
    }
    this.outageFailures++;
    const until = answeredAt + outagePauseMs(this.outageFailures);
    this.pausedUntil = Math.max(this.pausedUntil, until);
    if (this.outageFailures === 1) {
      const first = results[0]!;
      this.opts.logger?.warn(
        { destination: this.settings.id, platform: this.settings.platform, http_status: httpStatus, code: first.ok ? undefined : first.error.code },
        `delivery: destination "${this.settings.id}" is failing as a whole; probing with one batch at a time, at most every ${OUTAGE_MAX_PAUSE_MS / 1000} s`,
      );
    }
    return until;
  }

  private decide(
    row: ClaimedDelivery,
    result: EventResult,
    t: { sentAt: number; answeredAt: number; latency: number; httpStatus: number | undefined; outageUntil: number | undefined },
  ): DeliveryUpdate {
    const attempt = { at: t.sentAt, latency_ms: t.latency, ...(t.httpStatus === undefined ? {} : { http_status: t.httpStatus }) };
    if (result.ok) return { delivery_id: row.delivery_id, status: 'delivered', attempt: { ...attempt, outcome: 'delivered' } };
    const { error } = result;
    const outcome = error.kind === 'retryable' && (error.code === 'network' || error.code === 'timeout') ? 'network' : error.kind;
    const recorded = { ...attempt, outcome, platform_code: error.code, message: error.message };
    if (error.kind === 'permanent') {
      return { delivery_id: row.delivery_id, status: 'rejected', attempt: recorded, error_code: error.code, error_message: error.message };
    }
    const attempts = row.attempts + 1;
    const firstAt = row.first_attempt_at ?? t.sentAt;
    if (attempts >= this.opts.delivery.max_attempts && t.sentAt - firstAt >= this.opts.delivery.max_hours * 3_600_000) {
      return { delivery_id: row.delivery_id, status: 'dead', attempt: recorded, error_code: error.code, error_message: error.message };
    }
    let wait: number;
    if (error.kind === 'auth') {
      wait = AUTH_RETRY_MS;
      this.park(t.answeredAt + AUTH_RETRY_MS, error);
    } else {
      // In an outage the destination's probe schedule replaces the row's own backoff: the row comes back with
      // the next probe instead of minutes after the platform recovered.
      wait = t.outageUntil !== undefined ? t.outageUntil - t.sentAt : backoffMs(attempts, this.opts.random);
      if (error.retryAfterMs !== undefined) {
        // Retry-After counts from the answer; the whole destination waits, not just these rows. Capped
        // (delivery.max_retry_after_s): `Retry-After: 31536000` would park the destination for a year, silently,
        // and its rows would never be tried again for max_hours to end them.
        const retryAfterMs = this.cappedRetryAfter(error.retryAfterMs);
        this.pausedUntil = Math.max(this.pausedUntil, t.answeredAt + retryAfterMs);
        wait = Math.max(wait, t.answeredAt + retryAfterMs - t.sentAt);
      }
    }
    return { delivery_id: row.delivery_id, status: 'pending', next_attempt_at: t.sentAt + wait, attempt: recorded, error_code: error.code, error_message: error.message };
  }

  private cappedRetryAfter(retryAfterMs: number): number {
    const capMs = (this.opts.delivery.max_retry_after_s ?? DEFAULT_MAX_RETRY_AFTER_S) * 1000;
    if (retryAfterMs <= capMs) return retryAfterMs;
    // Not `pausedUntil`: the outage pause opened by the same 429 may already reach past the cap.
    const now = this.now();
    if (this.cappedPauseUntil < now) {
      this.cappedPauseUntil = now + capMs;
      this.opts.logger?.warn(
        { destination: this.settings.id, platform: this.settings.platform, retry_after_s: Math.round(retryAfterMs / 1000), capped_to_s: capMs / 1000 },
        `delivery: destination "${this.settings.id}" asked for a pause longer than delivery.max_retry_after_s; pausing for the cap instead`,
      );
    }
    return capMs;
  }

  private park(until: number, error: DeliveryError): void {
    if (this.healthState.state !== 'paused') {
      this.healthState = { state: 'paused', paused: { code: error.code, message: error.message, since: this.now() } };
    }
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    this.opts.logger?.error(
      { destination: this.settings.id, platform: this.settings.platform, code: error.code, message: error.message, paused_until: new Date(until).toISOString() },
      `delivery: destination "${this.settings.id}" refused our credentials or their permissions (${error.message}); paused until the destination is fixed (retrying every ${AUTH_RETRY_MS / 60_000} min)`,
    );
  }

  private observe(outcome: string, httpStatus: number | undefined, latency: number, events: number): void {
    this.opts.observer?.onAttempt?.({
      destination_id: this.settings.id,
      platform: this.settings.platform,
      outcome,
      ...(httpStatus === undefined ? {} : { http_status: httpStatus }),
      latency_ms: latency,
      events,
    });
  }
}

function missingResult(): EventResult {
  // A classifier that returned fewer results than events: retry rather than guess.
  return { ok: false, error: { kind: 'retryable', code: 'no_result', message: 'the platform answer had no result for this event' } };
}
