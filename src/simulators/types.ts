import type { IncomingHttpHeaders } from 'node:http';
import type { PlatformName } from '../event/names.js';

export type SimPlatformName = PlatformName;

/** One inbound request, as a platform simulator sees it (the parsed body is the same object Fastify parsed: no copy). */
export interface SimRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What a simulator answers, plus how many events it took in or refused (for the per-platform counters). */
export interface SimReply {
  status: number;
  /** JSON body; undefined = empty body (Klaviyo 202). */
  body?: unknown;
  headers?: Record<string, string>;
  accepted: number;
  rejected: number;
}

export interface HandleContext {
  nowMs: number;
  /**
   * The `reject_events` switch, when one is active and at least one of this request's event ids is listed
   * (or it lists none, meaning every event): true for an event id the simulator must refuse.
   */
  rejectEvent: ((eventId: string | undefined) => boolean) | null;
}

export interface SimRoute {
  url: string;
  /** POST unless said: Google's requestStatus:retrieve and the credential lookups `matchkey check` makes are GETs. */
  method?: 'GET' | 'POST';
  /** Upload routes are counted, recorded, and subject to the behaviour switches; the OAuth token route is not switched. */
  upload: boolean;
  handle(req: SimRequest, ctx: HandleContext): SimReply;
}

export interface PlatformSimulator {
  name: SimPlatformName;
  routes: SimRoute[];
  /** The ids `reject_events` matches against, in request order (robust to any body). */
  eventIds(body: unknown, path: string): Array<string | undefined>;
  /** Number of events in the request (0 when the body is not the expected shape). */
  eventCount(body: unknown, path: string): number;
  /** The platform's own rate-limit answer (HTTP status may be overridden by the switch). */
  rateLimited(retryAfterS: number, path: string): SimReply;
  /** The platform's own temporary-failure answer. */
  serverError(path: string): SimReply;
}
