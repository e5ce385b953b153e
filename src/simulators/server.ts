import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../errors.js';
import { PLATFORM_NAMES } from '../event/names.js';
import type { Logger } from '../logging/logger.js';
import { BehaviourBoard, type BehaviourSwitch } from './behaviour.js';
import { ga4Simulator } from './ga4.js';
import { createGoogleSimulator, type GoogleSimulatorOptions } from './google.js';
import { klaviyoSimulator } from './klaviyo.js';
import { metaSimulator } from './meta.js';
import { pinterestSimulator } from './pinterest.js';
import { Recorder, type RecordMode, type RecorderOptions } from './recorder.js';
import { tiktokSimulator } from './tiktok.js';
import { snapchatSimulator } from './snapchat.js';
import { microsoftSimulator } from './microsoft.js';
import { redditSimulator } from './reddit.js';
import { registerQualityRoutes } from './quality.js';
import { registerAttributedRoutes } from './attributed.js';
import type { PlatformSimulator, SimPlatformName, SimReply, SimRequest, SimRoute } from './types.js';

// One Fastify app serving all five platform stand-ins on ONE port: a destination reaches it through `base_url` =
// scheme://host:port, which replaces the platform's host while the path stays (docs/CONFIGURATION.md), and the five
// platforms' paths do not collide. Control API under /_sim/ (README.md).

/** The port `matchkey simulate` listens on by default. */
export const DEFAULT_SIMULATOR_PORT = 8090;
/** Batches of 1000 Meta events or 2000 Google rows with rich payloads stay well below this. */
const BODY_LIMIT_BYTES = 32 * 1024 * 1024;

export interface SimulatorOptions {
  host?: string;
  /** 0 (the default) picks a free port; the answer says which. */
  port?: number;
  /** 'full' (default) keeps headers and bodies of recent requests; 'summary' keeps only counts (faster, less memory). */
  record?: RecordMode | RecorderOptions;
  /** A pino logger for the simulator's own Fastify instance; none by default. Per-request logging stays off. */
  logger?: Logger;
  google?: GoogleSimulatorOptions;
}

export interface RunningSimulators {
  url: string;
  port: number;
  close(): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function controlError(reply: FastifyReply, status: number, err: InputError | { code: string; message: string; path: string }): FastifyReply {
  return reply.code(status).send({ error: { code: err.code, message: err.message, path: err.path } });
}

function platformParam(v: unknown): SimPlatformName | undefined | InputError {
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'string' && (PLATFORM_NAMES as readonly string[]).includes(v)) return v as SimPlatformName;
  return new InputError('platform', `expected one of ${PLATFORM_NAMES.join(', ')}`);
}

function intParam(v: unknown, name: string): number | undefined | InputError {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : new InputError(name, 'expected a non-negative integer');
}

/** Builds the app without listening (tests use startSimulators; this is exposed for embedding). */
export function buildSimulatorApp(opts: SimulatorOptions = {}): { app: FastifyInstance; recorder: Recorder; behaviours: BehaviourBoard } {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    // A log line per request would cost more than the simulated platform work at 20k events/s.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
  }) as unknown as FastifyInstance;
  const recorderOpts: RecorderOptions = typeof opts.record === 'string' ? { mode: opts.record } : (opts.record ?? {});
  const recorder = new Recorder(recorderOpts);
  const behaviours = new BehaviourBoard();
  const simulators: PlatformSimulator[] = [metaSimulator, tiktokSimulator, pinterestSimulator, createGoogleSimulator(opts.google), klaviyoSimulator, ga4Simulator, snapchatSimulator, microsoftSimulator, redditSimulator];

  // Klaviyo's JSON:API media type, and the form-encoded OAuth token exchange (Google).
  app.addContentTypeParser('application/vnd.api+json', { parseAs: 'string' }, (_req, text, done) => {
    try {
      done(null, JSON.parse(text as string));
    } catch (err) {
      (err as { statusCode?: number }).statusCode = 400;
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, text, done) => {
    done(null, Object.fromEntries(new URLSearchParams(text as string)));
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    void reply.code(status).send({ error: { code: status === 500 ? 'simulator_error' : 'bad_request', message: err.message } });
  });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?', 1)[0]!;
    // Recorded so a test can see a builder that got the path wrong (e.g. TikTok's trailing slash).
    recorder.add({ platform: null, method: req.method, path, query: req.query as Record<string, unknown>, headers: req.headers, body: req.body, event_count: 0, events_accepted: 0, events_rejected: 0, received_at: Date.now(), status: 404 });
    void reply.code(404).send({ error: { code: 'not_found', message: `No simulator route for ${req.method} ${path}` } });
  });

  function route(sim: PlatformSimulator, r: SimRoute) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const nowMs = Date.now();
      const path = request.url.split('?', 1)[0]!;
      const body = request.body;
      const early = r.upload ? recorder.arrive(sim.name, nowMs) : false;
      const sw: BehaviourSwitch | null = r.upload ? behaviours.active(sim.name, nowMs) : null;
      let applied: string | undefined;
      let result: SimReply;

      if (sw?.mode === 'slow') {
        behaviours.consume(sw);
        applied = 'slow';
        await sleep(sw.delay_ms);
      }
      if (sw?.mode === 'rate_limit') {
        behaviours.consume(sw);
        applied = 'rate_limit';
        const retryAfterS = Math.ceil(sw.retry_after_s);
        result = sim.rateLimited(retryAfterS, path);
        if (sw.status !== null) result.status = sw.status;
        result.headers = { ...result.headers, 'retry-after': String(retryAfterS) };
        recorder.noteRateLimit(sim.name, nowMs, retryAfterS);
      } else if (sw?.mode === 'server_error') {
        behaviours.consume(sw);
        applied = 'server_error';
        result = sim.serverError(path);
        if (sw.status !== null) result.status = sw.status;
      } else {
        let rejectEvent: ((id: string | undefined) => boolean) | null = null;
        if (sw?.mode === 'reject_events') {
          const listed = sw.event_ids ? new Set(sw.event_ids) : null;
          const matches = listed ? (id: string | undefined) => id !== undefined && listed.has(id) : () => true;
          // The count covers requests that carry a listed event, so "refuse X once" lets X's retry through.
          if (!listed || sim.eventIds(body, path).some(matches)) {
            behaviours.consume(sw);
            applied = 'reject_events';
            rejectEvent = matches;
          }
        }
        const simReq: SimRequest = {
          method: request.method,
          path,
          params: request.params as Record<string, string>,
          query: request.query as SimRequest['query'],
          headers: request.headers,
          body,
        };
        result = r.handle(simReq, { nowMs, rejectEvent });
      }

      const rec = {
        platform: sim.name,
        method: request.method,
        path,
        query: request.query as Record<string, unknown>,
        headers: request.headers,
        body,
        event_count: r.upload ? sim.eventCount(body, path) : 0,
        events_accepted: result.accepted,
        events_rejected: result.rejected,
        received_at: nowMs,
        status: result.status,
        ...(applied ? { behaviour: applied } : {}),
        ...(early ? { before_retry_after: true as const } : {}),
      };
      if (r.upload) recorder.add(rec);

      void reply.code(result.status);
      if (result.headers) void reply.headers(result.headers);
      return result.body === undefined ? reply.send() : reply.send(result.body);
    };
  }

  for (const sim of simulators) {
    for (const r of sim.routes) app.route({ method: r.method ?? 'POST', url: r.url, handler: route(sim, r) });
  }

  // Meta's, Pinterest's and Google's quality read APIs, with their /_sim/quality control (quality.ts).
  const quality = registerQualityRoutes(app);
  // The four reporting APIs `reconcile --attributed platforms` reads, with their /_sim/attributed control (attributed.ts);
  // Google's searchStream also answers the upload summary query from the quality control's state.
  registerAttributedRoutes(app, quality);

  // ---- control API ----
  app.get('/_sim/requests', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const platform = platformParam(q.platform);
    const limit = intParam(q.limit, 'limit');
    const sinceSeq = intParam(q.since_seq, 'since_seq');
    for (const v of [platform, limit, sinceSeq]) if (v instanceof InputError) return controlError(reply, 400, v);
    return {
      record: recorder.mode,
      last_seq: recorder.lastSeq,
      dropped: recorder.droppedCount,
      totals: recorder.allTotals(),
      requests: recorder.list({
        ...(platform ? { platform: platform as SimPlatformName } : {}),
        ...(limit !== undefined ? { limit: limit as number } : {}),
        ...(sinceSeq !== undefined ? { sinceSeq: sinceSeq as number } : {}),
      }),
    };
  });
  app.delete('/_sim/requests', async (_req, reply) => {
    recorder.clear();
    return reply.code(204).send();
  });
  app.get('/_sim/stats', async () => ({ record: recorder.mode, last_seq: recorder.lastSeq, totals: recorder.allTotals() }));
  app.get('/_sim/timeline', async (req, reply) => {
    const platform = platformParam((req.query as Record<string, unknown>).platform);
    if (platform instanceof InputError) return controlError(reply, 400, platform);
    const platforms = platform ? [platform] : [...PLATFORM_NAMES];
    return Object.fromEntries(platforms.map((p) => [p, { ...recorder.timeline(p), early_requests: recorder.totalsFor(p).early_requests }]));
  });
  app.get('/_sim/behaviour', async () => ({ active: behaviours.list(Date.now()) }));
  app.post('/_sim/behaviour', async (req, reply) => {
    try {
      return { active: behaviours.apply(req.body, Date.now()) };
    } catch (err) {
      if (err instanceof InputError) return controlError(reply, 400, err);
      throw err;
    }
  });
  app.delete('/_sim/behaviour', async (_req, reply) => {
    behaviours.clear();
    return reply.code(204).send();
  });
  app.post('/_sim/record', async (req, reply) => {
    const mode = (req.body as { mode?: unknown } | undefined)?.mode;
    if (mode !== 'full' && mode !== 'summary') return controlError(reply, 400, new InputError('mode', 'expected full or summary'));
    recorder.mode = mode;
    return { record: recorder.mode };
  });

  return { app, recorder, behaviours };
}

/** Starts the five platform simulators on one port. */
export async function startSimulators(opts: SimulatorOptions = {}): Promise<RunningSimulators> {
  const { app } = buildSimulatorApp(opts);
  const host = opts.host ?? '127.0.0.1';
  await app.listen({ host, port: opts.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    close: () => app.close(),
  };
}
