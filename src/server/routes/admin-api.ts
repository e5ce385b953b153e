import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { PLATFORM_NAMES } from '../../event/names.js';
import { formatIssue, toUnixSeconds } from '../../event/schema.js';
import { READINESS_LABEL } from '../../diagnostics/types.js';
import type { ActivityOutcome, DeadLetterQuery, OutboxStore } from '../../outbox/types.js';
import { bearerToken, tokenMatcher } from '../auth.js';
import type { GatewayContext } from '../context.js';
import { replyError } from '../http-error.js';
import { rebuildRequest } from './admin-request-preview.js';

// The dashboard's read endpoints (admin token), beside the diagnostics, dedup, reconcile and replay APIs it also
// uses (docs/DASHBOARD.md "API"):
//   GET  /api/dashboard                 destinations and labels the pages need
//   GET  /api/overview?range=1h|6h|24h|7d   events in and delivery outcomes per bucket, queue depth, oldest pending
//   GET  /api/events/search?q=          event inspector: by event_id or order id
//   GET  /api/dead-letters?…            dead and rejected rows, filtered and paged
//   POST /api/dead-letters/replay       re-queues every row matching the same filter

export const OVERVIEW_RANGES = {
  '1h': { span_ms: 3_600_000, bucket_ms: 60_000 },
  '6h': { span_ms: 6 * 3_600_000, bucket_ms: 5 * 60_000 },
  '24h': { span_ms: 24 * 3_600_000, bucket_ms: 3_600_000 },
  '7d': { span_ms: 7 * 86_400_000, bucket_ms: 6 * 3_600_000 },
} as const;

const OUTCOMES: readonly ActivityOutcome[] = ['delivered', 'retrying', 'rejected', 'dead'];
const MAX_PAGE = 500;
/** Replay-all re-queues at most this many rows per call; the answer says when more remain. */
const MAX_REPLAY_ALL = 100_000;

const instant = z
  .string()
  .max(40)
  .transform((v, ctx) => {
    const seconds = toUnixSeconds(/^\d+$/.test(v) ? Number(v) : v);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 time or unix seconds' });
      return z.NEVER;
    }
    return seconds * 1000;
  });

const deadLetterFilterSchema = z.strictObject({
  status: z.enum(['dead', 'rejected']).optional(),
  destination: z.string().min(1).max(256).optional(),
  platform: z.enum(PLATFORM_NAMES).optional(),
  reason: z.string().min(1).max(256).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

const deadLetterListSchema = deadLetterFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Query strings: an empty parameter is an absent one (the dashboard's "any" choice). */
function withoutEmpty(query: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== '' && v !== undefined));
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw formatIssue(parsed.error.issues[0]!);
  return parsed.data;
}

function toDeadLetterQuery(f: z.output<typeof deadLetterFilterSchema>, limit: number, offset: number): DeadLetterQuery {
  const q: DeadLetterQuery = { limit, offset };
  if (f.status) q.status = f.status;
  if (f.destination) q.destination_id = f.destination;
  if (f.platform) q.platform = f.platform;
  if (f.reason) q.error_code = f.reason;
  if (f.from !== undefined) q.from = f.from;
  if (f.to !== undefined) q.to = f.to;
  return q;
}

type Series = Record<ActivityOutcome, number[]>;

export interface AdminApiOptions extends GatewayContext {
  /** Unix ms; injectable for tests. */
  clock?: () => number;
}

export const adminApiRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, ctx) => {
  const clock = ctx.clock ?? Date.now;
  const token = ctx.config.admin_token;
  const isAdmin = tokenMatcher(token ? [token] : []);
  const adminOnly = {
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      if (!isAdmin(bearerToken(request.headers.authorization))) {
        return replyError(reply, 401, 'unauthorized', token ? 'expected Authorization: Bearer <admin token>' : 'no admin_token is configured');
      }
    },
  };
  const store: OutboxStore = ctx.store;
  const answer = async (reply: FastifyReply, run: () => Promise<unknown>) => {
    try {
      return reply.send(await run());
    } catch (err) {
      if (err instanceof InputError) return replyError(reply, 400, err.code, err.message, err.path);
      throw err;
    }
  };
  const unsupported = (reply: FastifyReply, what: string) =>
    replyError(reply, 501, 'not_implemented', `this storage backend does not provide ${what} yet`);

  app.get('/api/dashboard', adminOnly, async (_request, reply) =>
    reply.send({
      readiness_label: READINESS_LABEL,
      destinations: ctx.config.destinations.map((d) => ({ id: d.id, platform: d.platform, test: d.test === true })),
      poll_ms: 5000,
    }),
  );

  app.get('/api/overview', adminOnly, async (request, reply) =>
    answer(reply, async () => {
      const { range } = parse(z.object({ range: z.enum(Object.keys(OVERVIEW_RANGES) as [keyof typeof OVERVIEW_RANGES]).default('1h') }), withoutEmpty(request.query));
      const { span_ms, bucket_ms } = OVERVIEW_RANGES[range];
      const now = clock();
      // Buckets aligned to their size, so a point keeps its place between two polls.
      const to = Math.floor(now / bucket_ms) * bucket_ms + bucket_ms;
      const from = to - span_ms;
      const buckets = span_ms / bucket_ms;
      const queue = await store.counts(now);
      const base = { range, now, from, to, bucket_ms, queue };
      if (!store.activity) return { ...base, activity: null };
      const activity = await store.activity({ from, to, bucket_ms });
      const eventsIn = new Array<number>(buckets).fill(0);
      for (const b of activity.events_in) if (b.bucket >= 0 && b.bucket < buckets) eventsIn[b.bucket]! += b.n;
      const destinations: Record<string, { platform: string; series: Series }> = {};
      const seriesFor = (id: string, platform: string) =>
        (destinations[id] ??= { platform, series: Object.fromEntries(OUTCOMES.map((o) => [o, new Array<number>(buckets).fill(0)])) as Series }).series;
      for (const d of ctx.config.destinations) seriesFor(d.id, d.platform);
      for (const d of activity.deliveries) if (d.bucket >= 0 && d.bucket < buckets) seriesFor(d.destination_id, d.platform)[d.outcome][d.bucket]! += d.n;
      return { ...base, activity: { events_in: eventsIn, destinations } };
    }),
  );

  app.get('/api/events/search', adminOnly, async (request, reply) => {
    if (!store.inspectEvents) return unsupported(reply, 'the event inspector');
    return answer(reply, async () => {
      const { q } = parse(z.object({ q: z.string().trim().min(1, 'expected an event_id or an order id').max(256) }), request.query ?? {});
      const nowSec = Math.floor(clock() / 1000);
      const events = await store.inspectEvents!(q);
      return {
        query: q,
        events: events.map((e) => ({
          ...e,
          deliveries: e.deliveries.map((d) => ({ ...d, request: rebuildRequest(e.event, d, ctx.config.destinations, nowSec) })),
        })),
      };
    });
  });

  app.get('/api/dead-letters', adminOnly, async (request, reply) => {
    if (!store.deadLetters) return unsupported(reply, 'the dead-letter list');
    return answer(reply, async () => {
      const { limit, offset, ...filter } = parse(deadLetterListSchema, withoutEmpty(request.query));
      return { limit, offset, ...(await store.deadLetters!(toDeadLetterQuery(filter, limit, offset))) };
    });
  });

  app.post('/api/dead-letters/replay', adminOnly, async (request, reply) => {
    if (!store.deadLetters) return unsupported(reply, 'the dead-letter list');
    if (request.rawBody === undefined) return replyError(reply, 415, 'unsupported_media_type', 'expected Content-Type: application/json');
    return answer(reply, async () => {
      const filter = parse(deadLetterFilterSchema, withoutEmpty(request.body));
      const page = await store.deadLetters!(toDeadLetterQuery(filter, MAX_REPLAY_ALL, 0));
      let replayed = 0;
      for (const status of ['dead', 'rejected'] as const) {
        const ids = page.rows.filter((r) => r.status === status).map((r) => r.delivery_id);
        if (ids.length > 0) replayed += await store.replay({ status, delivery_ids: ids });
      }
      if (replayed > 0) ctx.worker.wake();
      ctx.logger.info({ replayed, filter }, 'dead letters replayed from the dashboard');
      return { replayed, remaining: Math.max(0, page.total - page.rows.length) };
    });
  });

  // Alert incidents (docs/ALERTS.md), newest first; `open=true` for the unresolved ones only. Rules and channel
  // ids are listed, never the channels' URLs or SMTP credentials.
  app.get('/api/alerts', adminOnly, async (request, reply) => {
    const history = ctx.historyStore;
    if (!history) return unsupported(reply, 'alert incidents');
    return answer(reply, async () => {
      const { open, limit } = parse(
        z.object({ open: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
        withoutEmpty(request.query),
      );
      const alerts = ctx.config.alerts;
      return {
        configured: alerts !== undefined,
        channels: (alerts?.channels ?? []).map((c) => ({ id: c.id, type: c.type })),
        rules: alerts ? Object.entries(alerts.rules).filter(([, v]) => v !== undefined && v !== false).map(([k]) => k) : [],
        incidents: await history.listIncidents({ open: open === 'true', limit }),
      };
    });
  });
};
