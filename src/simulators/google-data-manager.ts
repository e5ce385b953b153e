import { loadRequestContract, type ContractViolation } from '../platforms/contract/request-contract.js';
import { firstValue, isCurrencyCode, isObject, isRevokedCredential, randomHexId } from './checks.js';
import type { HandleContext, SimReply, SimRequest, SimRoute } from './types.js';

// Data Manager API stand-in (https://developers.google.com/data-manager/api/reference/rest):
//   POST /v1/events:ingest           — IngestEventsRequest, validated against the request contract
//                                      (src/platforms/google/contract/events-ingest.schema.json) and Google's
//                                      fast-fail rules: any invalid event fails the whole request (400
//                                      INVALID_ARGUMENT, google.rpc.BadRequest.fieldViolations naming the field).
//   GET  /v1/requestStatus:retrieve  — the processing outcome of an accepted request, per destination: SUCCESS,
//                                      PROCESSING, FAILED or PARTIAL_SUCCESS with errorInfo.errorCounts.
// Processing (what Google does after the 200) is simulated at ingest time: an event the `reject_events` switch
// names, an event older than 90 days, an event whose user data comes without ad-user-data consent, or a
// transactionId already recorded for the conversion action counts as a processing error for its destination.

const INGEST_CONTRACT = loadRequestContract(new URL('../platforms/google/contract/events-ingest.schema.json', import.meta.url));
const MAX_EVENT_AGE_MS = 90 * 86_400_000;
const ERROR_DOMAIN = 'datamanager.googleapis.com';

export interface DataManagerSimulatorOptions {
  /** How long after acceptance requestStatus still answers PROCESSING (default 0: processed at once). */
  processingMs?: number;
}

interface StoredRequest {
  acceptedAt: number;
  statuses: Array<{ destination: Record<string, unknown>; recordCount: number; errors: Map<string, number> }>;
}

function statusReply(status: number, rpcStatus: string, reason: string, message: string, violations: { field: string; description: string; reason: string }[] = []): SimReply {
  const details: unknown[] = [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: ERROR_DOMAIN }];
  if (violations.length > 0) details.push({ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: violations });
  return { status, body: { error: { code: status, message, status: rpcStatus, details } }, accepted: 0, rejected: 0 };
}

/** `events.0.adIdentifiers.gclid` → `events[0].ad_identifiers.gclid`: the proto field path Google's errors use. */
export function protoFieldPath(path: string): string {
  let out = '';
  for (const part of path.split('.').filter((p) => p !== '')) {
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += (out === '' ? '' : '.') + part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  }
  return out;
}

function contractReason(v: ContractViolation): string {
  if (v.kind === 'missing_field') return 'REQUIRED_FIELD_MISSING';
  if (v.kind === 'wrong_enum') return 'INVALID_ENUM_VALUE';
  if (v.kind === 'wrong_format' && /\.(emailAddress|phoneNumber|givenName|familyName)$/.test(v.path)) return 'INVALID_SHA256_FORMAT';
  if (v.kind === 'out_of_range' && v.path === 'events') return 'TOO_MANY_EVENTS';
  if (v.kind === 'out_of_range' && /userIdentifiers$/.test(v.path)) return 'TOO_MANY_USER_IDENTIFIERS';
  if (v.kind === 'out_of_range' && v.path === 'destinations') return 'TOO_MANY_DESTINATIONS';
  return v.kind === 'wrong_format' ? 'INVALID_FORMAT' : 'INVALID_ARGUMENT';
}

function ingestEvents(body: unknown): Array<Record<string, unknown>> {
  const events = isObject(body) ? body.events : undefined;
  return Array.isArray(events) ? (events.filter(isObject) as Array<Record<string, unknown>>) : [];
}

export function dataManagerEventIds(body: unknown): Array<string | undefined> {
  return ingestEvents(body).map((e) => (typeof e.transactionId === 'string' ? e.transactionId : undefined));
}

export function dataManagerEventCount(body: unknown): number {
  return ingestEvents(body).length;
}

export function isDataManagerPath(path: string): boolean {
  return path.startsWith('/v1/events:') || path.startsWith('/v1/requestStatus:');
}

export function dataManagerRateLimited(): SimReply {
  return statusReply(429, 'RESOURCE_EXHAUSTED', 'RESOURCE_EXHAUSTED', 'Too many requests. Retry in a few seconds.');
}

export function dataManagerServerError(): SimReply {
  return statusReply(503, 'UNAVAILABLE', 'INTERNAL_ERROR', 'The service is currently unavailable.');
}

/** A Google Ads customer id the simulated credentials cannot access. */
export const UNREACHABLE_CUSTOMER_ID = '9999999999';

export function createDataManagerRoutes(opts: DataManagerSimulatorOptions = {}, tokenOk: (token: string, nowMs: number) => boolean = () => true): SimRoute[] {
  const requests = new Map<string, StoredRequest>();
  /** `<conversion action>/<transactionId>` already recorded. */
  const recorded = new Set<string>();

  function authProblem(req: SimRequest, nowMs: number): SimReply | null {
    const auth = firstValue(req.headers.authorization);
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (token === '') return statusReply(401, 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'Request is missing required authentication credential. Expected OAuth 2 access token.');
    if (isRevokedCredential(token) || !tokenOk(token, nowMs)) return statusReply(401, 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    return null;
  }

  /** Rules beyond the schema, still checked before the 200 (fast fail). */
  function semanticViolations(body: Record<string, unknown>): { field: string; description: string; reason: string }[] {
    const out: { field: string; description: string; reason: string }[] = [];
    const destinations = (body.destinations as Array<Record<string, unknown>>) ?? [];
    const references = new Set<unknown>(destinations.map((d) => d.reference).filter((r) => typeof r === 'string'));
    destinations.forEach((d, i) => {
      const op = d.operatingAccount as Record<string, unknown>;
      if (op.accountType === undefined && op.product === undefined) out.push({ field: `destinations[${i}].operating_account.account_type`, description: 'Either account_type or product is required.', reason: 'REQUIRED_FIELD_MISSING' });
      if (!/^\d+$/.test(String(d.productDestinationId))) out.push({ field: `destinations[${i}].product_destination_id`, description: 'The conversion action ID is invalid.', reason: 'INVALID_CONVERSION_ACTION_ID' });
    });
    if (destinations.length > 1 && references.size !== destinations.length) {
      out.push({ field: 'destinations', description: 'Every destination needs a unique reference when a request has several.', reason: 'INVALID_DESTINATION' });
    }
    ingestEvents(body).forEach((e, i) => {
      for (const [j, ref] of ((e.destinationReferences as unknown[]) ?? []).entries()) {
        if (!references.has(ref)) out.push({ field: `events[${i}].destination_references[${j}]`, description: `No destination has the reference "${String(ref)}".`, reason: 'INVALID_DESTINATION' });
      }
      if (e.currency !== undefined && !isCurrencyCode(e.currency)) out.push({ field: `events[${i}].currency`, description: 'The currency code is not supported.', reason: 'INVALID_CURRENCY_CODE' });
      if (e.userData !== undefined && body.encoding === undefined) out.push({ field: 'encoding', description: 'encoding is required for UserData uploads.', reason: 'REQUIRED_FIELD_MISSING' });
      const ids = (e.userData as { userIdentifiers?: Array<Record<string, unknown>> } | undefined)?.userIdentifiers ?? [];
      ids.forEach((id, k) => {
        for (const key of ['emailAddress', 'phoneNumber'] as const) {
          const v = id[key];
          if (typeof v === 'string' && body.encoding === 'HEX' && !/^[0-9a-f]{64}$/i.test(v)) out.push({ field: `events[${i}].user_data.user_identifiers[${k}].${key === 'emailAddress' ? 'email_address' : 'phone_number'}`, description: 'The HEX encoded value is malformed.', reason: 'INVALID_HEX_ENCODING' });
        }
      });
      const ads = e.adIdentifiers as Record<string, unknown> | undefined;
      const userData = e.userData !== undefined;
      if (!userData && !(ads && (ads.gclid || ads.gbraid || ads.wbraid)) && e.transactionId === undefined) {
        out.push({ field: `events[${i}]`, description: 'The event has no identifier to match: ad identifiers, user data or a transaction id.', reason: 'INVALID_EVENT' });
      }
    });
    return out;
  }

  function processingError(e: Record<string, unknown>, action: string, nowMs: number, ctx: HandleContext): string | null {
    const transactionId = typeof e.transactionId === 'string' ? e.transactionId : undefined;
    if (ctx.rejectEvent?.(transactionId)) {
      return (e.adIdentifiers as Record<string, unknown> | undefined)?.gclid ? 'PROCESSING_ERROR_REASON_INVALID_GCLID' : 'PROCESSING_ERROR_REASON_INVALID_EVENT';
    }
    const at = Date.parse(String(e.eventTimestamp));
    if (Number.isFinite(at) && at < nowMs - MAX_EVENT_AGE_MS) return 'PROCESSING_ERROR_REASON_EVENT_TOO_OLD';
    if (e.userData !== undefined && (e.consent as Record<string, unknown> | undefined)?.adUserData === 'CONSENT_DENIED') return 'PROCESSING_ERROR_REASON_DENIED_CONSENT';
    if (transactionId !== undefined) {
      const key = `${action}/${transactionId}`;
      if (recorded.has(key)) return 'PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID';
      recorded.add(key);
    }
    return null;
  }

  function ingest(req: SimRequest, ctx: HandleContext): SimReply {
    const denied = authProblem(req, ctx.nowMs);
    if (denied) return denied;
    const body = req.body;
    const count = dataManagerEventCount(body);
    const violations = INGEST_CONTRACT.check(body).map((v) => ({ field: protoFieldPath(v.path), description: v.message, reason: contractReason(v) }));
    if (violations.length === 0 && isObject(body)) violations.push(...semanticViolations(body));
    if (violations.length > 0) {
      const reason = violations.length === 1 ? violations[0]!.reason : 'INVALID_ARGUMENT';
      return { ...statusReply(400, 'INVALID_ARGUMENT', reason, `Request contains an invalid argument: ${violations[0]!.description}`, violations), rejected: count };
    }
    const request = body as { destinations: Array<Record<string, unknown>>; events: Array<Record<string, unknown>>; validateOnly?: boolean };
    // An account the credentials cannot reach (the simulators' stand-in: customer 999-999-9999) is refused before
    // anything else, validateOnly or not.
    if (request.destinations.some((d) => (d.operatingAccount as Record<string, unknown>).accountId === UNREACHABLE_CUSTOMER_ID)) {
      return { ...statusReply(403, 'PERMISSION_DENIED', 'PERMISSION_DENIED', 'The caller does not have permission'), rejected: count };
    }
    // validateOnly: "the request is validated but not executed. Only errors are returned, not results."
    if (request.validateOnly === true) return { status: 200, body: {}, accepted: count, rejected: 0 };

    const statuses = request.destinations.map((destination) => ({ destination, recordCount: 0, errors: new Map<string, number>() }));
    const byReference = new Map(request.destinations.map((d, i) => [d.reference, i] as const));
    let rejected = 0;
    for (const e of request.events) {
      const refs = (e.destinationReferences as string[] | undefined) ?? [];
      const targets = refs.length > 0 ? refs.map((r) => byReference.get(r)!) : statuses.map((_, i) => i);
      let failed = false;
      for (const t of targets) {
        const s = statuses[t]!;
        s.recordCount++;
        const reason = processingError(e, String(s.destination.productDestinationId), ctx.nowMs, ctx);
        if (reason) {
          s.errors.set(reason, (s.errors.get(reason) ?? 0) + 1);
          failed = true;
        }
      }
      if (failed) rejected++;
    }
    const requestId = randomHexId(16);
    requests.set(requestId, { acceptedAt: ctx.nowMs, statuses });
    return { status: 200, body: { requestId }, accepted: count - rejected, rejected };
  }

  function retrieve(req: SimRequest, ctx: HandleContext): SimReply {
    const denied = authProblem(req, ctx.nowMs);
    if (denied) return denied;
    const requestId = firstValue(req.query.requestId as string | string[] | undefined);
    if (!requestId) return statusReply(400, 'INVALID_ARGUMENT', 'REQUIRED_FIELD_MISSING', 'request_id is required.', [{ field: 'request_id', description: 'request_id is required.', reason: 'REQUIRED_FIELD_MISSING' }]);
    const stored = requests.get(requestId);
    if (!stored) return statusReply(404, 'NOT_FOUND', 'NOT_FOUND', `Request ${requestId} was not found.`);
    const processing = ctx.nowMs < stored.acceptedAt + (opts.processingMs ?? 0);
    const requestStatusPerDestination = stored.statuses.map((s) => {
      if (processing) return { destination: s.destination, requestStatus: 'PROCESSING' };
      const failed = [...s.errors.values()].reduce((a, b) => a + b, 0);
      const requestStatus = failed === 0 ? 'SUCCESS' : failed >= s.recordCount ? 'FAILED' : 'PARTIAL_SUCCESS';
      const out: Record<string, unknown> = { destination: s.destination, requestStatus, eventsIngestionStatus: { recordCount: String(s.recordCount) } };
      if (failed > 0) out.errorInfo = { errorCounts: [...s.errors].map(([reason, n]) => ({ reason, recordCount: String(n) })) };
      return out;
    });
    return { status: 200, body: { requestStatusPerDestination }, accepted: 0, rejected: 0 };
  }

  return [
    // `::` is a literal `:` in a Fastify route.
    { url: '/v1/events::ingest', upload: true, handle: ingest },
    { url: '/v1/requestStatus::retrieve', method: 'GET', upload: false, handle: retrieve },
  ];
}
