import type { DeliveryError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { AttemptRecord, ClaimedDelivery, DeliveryUpdate, OutboxStore } from '../outbox/types.js';
import type { CheckedResult, CommonSettings, FollowUp, StatusCheck } from '../platforms/types.js';
import type { HttpSender } from './http.js';
import { Sleeper } from './sleeper.js';

// Follow-up of requests a platform accepts first and processes later (Google Data Manager API: a 200 carries a
// `requestId`, and requestStatus.retrieve says later whether the events were processed). A 200 alone is not
// "delivered and valid": the rows of an accepted request stay leased to this worker until the check says how they
// ended — delivered (with a note when Google counted failures it does not attribute), or rejected with Google's
// processing reason, visible in the inspector and counted among rejected deliveries.
// - Checks start `firstCheckAfterMs` after acceptance and back off (doubling, at most an hour between checks).
// - A check that fails (network, auth, quota) is retried the same way; it never resends the events.
// - After FOLLOW_UP_HORIZON_MS, or when the worker stops, rows still unchecked are recorded delivered with a note
//   that their processing was not confirmed: Google has them, and sending them again would only duplicate.
// - The leases are renewed across the waits; if the process dies, the lease expires and the rows are sent again —
//   Google deduplicates a conversion on its transactionId.

export const FOLLOW_UP_MAX_DELAY_MS = 3_600_000;
export const FOLLOW_UP_HORIZON_MS = 24 * 3_600_000;

export interface FollowUpDeps {
  settings: CommonSettings;
  followUp: FollowUp<CommonSettings>;
  store: OutboxStore;
  http: HttpSender;
  timeoutMs: number;
  leaseMs: number;
  now: () => number;
  /** The destination's cached OAuth token (undefined when the platform needs none). */
  accessToken: () => Promise<{ token?: string } | { error: DeliveryError }>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'> | undefined;
}

export interface AcceptedAttempt {
  sentAt: number;
  latency: number;
  httpStatus: number | undefined;
}

export class FollowUps {
  private readonly sleeper = new Sleeper();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly deps: FollowUpDeps) {}

  /** Takes over the rows of an accepted request; their outcome is recorded once the platform has processed them. */
  track(rows: ClaimedDelivery[], ticket: string, attempt: AcceptedAttempt): void {
    const job: Promise<void> = this.follow(rows, ticket, attempt)
      .catch((err: unknown) => this.deps.logger?.error({ destination: this.deps.settings.id, err }, 'delivery: status follow-up failed unexpectedly'))
      .finally(() => this.running.delete(job));
    this.running.add(job);
  }

  /** Ends every wait: rows not yet checked are recorded (see the header). */
  stop(): void {
    this.stopped = true;
    this.sleeper.close();
  }

  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async follow(rows: ClaimedDelivery[], ticket: string, attempt: AcceptedAttempt): Promise<void> {
    const { followUp, settings, store, now } = this.deps;
    const ids = rows.map((r) => r.delivery_id);
    const events = rows.map((r) => r.event);
    const accepted: AttemptRecord = {
      at: attempt.sentAt,
      latency_ms: attempt.latency,
      ...(attempt.httpStatus === undefined ? {} : { http_status: attempt.httpStatus }),
      outcome: 'delivered',
      platform_code: ticket,
    };
    const giveUpAt = now() + FOLLOW_UP_HORIZON_MS;
    let delay = followUp.firstCheckAfterMs(settings);
    let last: StatusCheck | undefined;
    while (!this.stopped) {
      await this.hold(ids, delay);
      if (this.stopped) break;
      last = await this.check(ticket, events);
      if (last.state === 'done') {
        const { results } = last;
        await store.complete(rows.map((row, i) => outcomeUpdate(row.delivery_id, results[i], accepted, ticket)));
        return;
      }
      if (now() >= giveUpAt) break;
      delay = Math.min(FOLLOW_UP_MAX_DELAY_MS, Math.max(1000, delay * 2));
    }
    const why = this.stopped ? 'the gateway stopped before the check' : last?.state === 'unknown' ? `the check kept failing: ${last.error.message}` : 'Google still reported it processing';
    await store.complete(ids.map((id) => ({ delivery_id: id, status: 'delivered', attempt: { ...accepted, message: `accepted as request ${ticket}; processing not confirmed (${why})` } })));
  }

  /**
   * Waits `ms` while keeping the rows leased, renewing every half lease: the claim's own renewals (other chunks of
   * the same claim) must never leave these rows with a lease that ends before the check.
   */
  private async hold(ids: number[], ms: number): Promise<void> {
    for (let left = ms; left > 0 && !this.stopped; ) {
      const slice = Math.min(left, this.deps.leaseMs / 2);
      await this.deps.store.renewLeases(ids, this.deps.now() + this.deps.leaseMs);
      await this.sleeper.sleep(slice);
      left -= slice;
    }
  }

  private async check(ticket: string, events: ClaimedDelivery['event'][]): Promise<StatusCheck> {
    const { followUp, settings } = this.deps;
    const token = await this.deps.accessToken();
    if ('error' in token) return { state: 'unknown', error: token.error };
    let request;
    try {
      request = followUp.buildCheck(ticket, settings, { now: Math.floor(this.deps.now() / 1000), ...(token.token === undefined ? {} : { accessToken: token.token }) });
    } catch {
      return { state: 'unknown', error: { kind: 'retryable', code: 'build_failed', message: 'could not build the status check' } };
    }
    const sent = await this.deps.http.send(request, this.deps.timeoutMs);
    if ('error' in sent) return { state: 'unknown', error: sent.error };
    return followUp.classifyCheck(sent.response, events, settings);
  }
}

function outcomeUpdate(deliveryId: number, result: CheckedResult | undefined, accepted: AttemptRecord, ticket: string): DeliveryUpdate {
  if (result === undefined) {
    return { delivery_id: deliveryId, status: 'delivered', attempt: { ...accepted, message: `accepted as request ${ticket}; the status check had no result for this event` } };
  }
  if (result.ok) {
    return { delivery_id: deliveryId, status: 'delivered', attempt: { ...accepted, message: result.note ?? `processed (request ${ticket})` } };
  }
  const { error } = result;
  // Processed and refused: a platform reason, final; replayable once the cause is fixed.
  return {
    delivery_id: deliveryId,
    status: 'rejected',
    attempt: { ...accepted, outcome: 'permanent', platform_code: error.code, message: `${error.message} (request ${ticket})` },
    error_code: error.code,
    error_message: `${error.message} (request ${ticket})`,
  };
}
