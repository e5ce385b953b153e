import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { InputError } from '../../errors.js';
import { PLATFORM_NAMES, type PlatformName } from '../../event/names.js';
import { formatIssue } from '../../event/schema.js';
import type { OutboxStore } from '../../outbox/types.js';
import type { CommonSettings } from '../../platforms/types.js';
import { pullAttributed } from '../../reconcile/attributed/pull.js';
import { parseWindowOverride } from '../../reconcile/attributed/windows.js';
import { PULL_ATTRIBUTED, readOrdersText, reconcile as reconcileHere, resolveWindow, type AttributedSource, type Reconciler } from '../../reconcile/run.js';
import type { AttributionWindow } from '../../reconcile/types.js';
import { bearerToken, tokenMatcher } from '../auth.js';
import { replyError } from '../http-error.js';

// The admin API of `matchkey reconcile` (docs/RECONCILE.md "HTTP"):
//   GET  /api/reconcile?from&to&as_of            orders of record (the gateway's order log) and the delivery side
//        (&attributed=platforms                  plus each configured platform's attributed conversions, read from
//                                                its reporting API with its window named — never summed)
//   POST /api/reconcile  application/json          the same plus attributed CSV text (and optionally an orders export)
//   POST /api/reconcile  text/csv (?platform&window) one attributed CSV as the body
// Same JSON as `matchkey reconcile --json`. Nothing posted is stored.

export interface ReconcileRouteOptions {
  store: OutboxStore;
  /** The admin token; when absent, `config.admin_token` (the gateway's context); with neither, every call is 401. */
  adminToken?: string | undefined;
  config?: { admin_token?: string | undefined; destinations?: readonly { platform: string }[] };
  /** The reporting APIs' HTTP client (tests may record requests); default: global fetch. */
  fetchFn?: typeof fetch;
  /**
   * Runs the reconciliation: the gateway's read thread (GatewayContext.reconcile), so a window's whole order log
   * never stalls ingest on this thread; default: here, on `store`.
   */
  reconcile?: Reconciler;
}

/** Attributed exports can be long (a year of daily rows per campaign); orders exports longer. */
const BODY_LIMIT = 32 * 1024 * 1024;

const platformSchema = z.enum(PLATFORM_NAMES);
const dateString = z.string().max(32);

const postBodySchema = z.strictObject({
  from: dateString.optional(),
  to: dateString.optional(),
  as_of: dateString.optional(),
  platform: platformSchema.optional(),
  /** `{"meta": "28d_click,1d_view"}` */
  windows: z.record(z.string(), z.string().max(100)).optional(),
  attributed: z
    .union([
      z.string(),
      z.array(z.strictObject({ csv: z.string(), platform: platformSchema.optional(), name: z.string().max(200).optional() })).max(50),
    ])
    .optional(),
  /** An orders export instead of the gateway's own order log. */
  orders: z.strictObject({ format: z.enum(['csv', 'json']), text: z.string(), name: z.string().max(200).optional() }).optional(),
});

const querySchema = z.looseObject({
  from: dateString.optional(),
  to: dateString.optional(),
  as_of: dateString.optional(),
  platform: platformSchema.optional(),
  window: z.union([z.string().max(100), z.array(z.string().max(100)).max(10)]).optional(),
  attributed: z.literal(PULL_ATTRIBUTED).optional(),
});

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw formatIssue(parsed.error.issues[0]!, prefix ? [prefix] : []);
  return parsed.data;
}

function windowsFrom(specs: [string, string][]): Partial<Record<PlatformName, AttributionWindow>> {
  const out: Partial<Record<PlatformName, AttributionWindow>> = {};
  for (const [path, spec] of specs) {
    const [p, w] = parseWindowOverride(spec, path);
    out[p] = w;
  }
  return out;
}

const queryFlag = (n: 'from' | 'to' | 'as_of') => n;

export const reconcileRoutes: FastifyPluginAsync<ReconcileRouteOptions> = async (app, opts) => {
  const token = opts.adminToken ?? opts.config?.admin_token;
  const isAdmin = tokenMatcher(token ? [token] : []);
  const reconcile: Reconciler = opts.reconcile ?? ((input) => reconcileHere({ ...input, store: opts.store }));
  const deliveryPlatforms = opts.config?.destinations
    ? [...new Set(opts.config.destinations.map((d) => d.platform))].filter((p): p is PlatformName => (PLATFORM_NAMES as readonly string[]).includes(p))
    : undefined;

  // Encapsulated: only this plugin's routes take CSV bodies.
  app.addContentTypeParser(/^text\/(csv|plain)(\s*;|\s*$)/i, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));

  const onRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isAdmin(bearerToken(request.headers.authorization))) {
      return replyError(reply, 401, 'unauthorized', token ? 'expected Authorization: Bearer <admin token>' : 'no admin_token is configured');
    }
  };

  const answer = async (reply: FastifyReply, run: () => Promise<unknown>) => {
    try {
      return reply.send(await run());
    } catch (err) {
      if (err instanceof InputError) return replyError(reply, 400, err.code, err.message, err.path);
      throw err;
    }
  };

  app.get('/api/reconcile', { onRequest }, async (request, reply) =>
    answer(reply, async () => {
      const q = parseOrThrow(querySchema, request.query, 'query');
      const windowSpecs = q.window === undefined ? [] : Array.isArray(q.window) ? q.window : [q.window];
      const window = resolveWindow({ from: q.from, to: q.to, as_of: q.as_of }, Date.now(), queryFlag);
      const windows = windowsFrom(windowSpecs.map((s) => ['window', s]));
      // Each destination's read failure is in the report (attributed_pull.failed), never an error of the call.
      const pulled =
        q.attributed === PULL_ATTRIBUTED
          ? await pullAttributed((opts.config?.destinations ?? []) as readonly CommonSettings[], { from: window.from, to: window.to, windows, ...(opts.fetchFn ? { fetchFn: opts.fetchFn } : {}) })
          : undefined;
      return reconcile({
        window,
        orders: 'internal',
        attributed: [],
        windows,
        ...(deliveryPlatforms ? { delivery_platforms: deliveryPlatforms } : {}),
        ...(pulled ? { pulled } : {}),
      });
    }),
  );

  app.post('/api/reconcile', { onRequest, bodyLimit: BODY_LIMIT }, async (request, reply) =>
    answer(reply, async () => {
      const type = String(request.headers['content-type'] ?? '');
      if (/^text\//i.test(type)) {
        const q = parseOrThrow(querySchema, request.query, 'query');
        const windowSpecs = q.window === undefined ? [] : Array.isArray(q.window) ? q.window : [q.window];
        return reconcile({
          window: resolveWindow({ from: q.from, to: q.to, as_of: q.as_of }, Date.now(), queryFlag),
          orders: 'internal',
          attributed: [{ name: 'body', text: String(request.body ?? ''), ...(q.platform ? { platform: q.platform } : {}) }],
          windows: windowsFrom(windowSpecs.map((s) => ['window', s])),
          ...(deliveryPlatforms ? { delivery_platforms: deliveryPlatforms } : {}),
        });
      }
      if (request.body === undefined) {
        return replyError(reply, 415, 'unsupported_media_type', 'expected Content-Type: application/json or text/csv');
      }
      const body = parseOrThrow(postBodySchema, request.body, '');
      const attributed: AttributedSource[] =
        body.attributed === undefined
          ? []
          : typeof body.attributed === 'string'
            ? [{ name: 'attributed', text: body.attributed }]
            : body.attributed.map((a, i) => ({ name: a.name ?? `attributed.${i}`, text: a.csv, ...(a.platform ? { platform: a.platform } : {}) }));
      const orders = body.orders
        ? { source: body.orders.name ?? 'orders', orders: readOrdersText(body.orders.text, body.orders.name ?? 'orders', body.orders.format) }
        : ('internal' as const);
      return reconcile({
        window: resolveWindow({ from: body.from, to: body.to, as_of: body.as_of }, Date.now(), queryFlag),
        orders,
        attributed,
        ...(body.platform ? { platform: body.platform } : {}),
        windows: windowsFrom(Object.entries(body.windows ?? {}).map(([p, spec]) => [`windows.${p}`, `${p}=${spec}`])),
        ...(deliveryPlatforms ? { delivery_platforms: deliveryPlatforms } : {}),
      });
    }),
  );
};
