import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { LoadedConfig } from '../config/load.js';
import { gatewayReads, type GatewayReads } from '../diagnostics/diagnose-in-thread.js';
import type { HistoryStore } from '../diagnostics/history/types.js';
import { InputError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { lazyRequestLogger } from './request-logger.js';
import type { OutboxStore } from '../outbox/types.js';
import { fastifyTrustProxy } from '../sources/browser/client-ip.js';
import type { GatewayContext, GatewayState, WorkerHandle } from './context.js';
import { errorBody } from './http-error.js';
import { registerJsonBody } from './json-body.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';
import { adminApiRoutes } from './routes/admin-api.js';
import { adminReplayRoutes } from './routes/admin-replay.js';
import { browserScriptRoutes } from './routes/browser-scripts.js';
import { collectRoutes } from './routes/collect.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { diagnosticsRoutes } from './routes/diagnostics.js';
import { eventsRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { reconcileRoutes } from './routes/reconcile.js';
import { shopifyRoutes } from './routes/shopify.js';

/** The diagnostics face needs the history store; without one (tests building a bare app) it is not mounted. */
const diagnosticsMount: FastifyPluginAsync<GatewayContext> = async (app, ctx) => {
  if (!ctx.historyStore) return;
  await app.register(diagnosticsRoutes, { store: ctx.store, historyStore: ctx.historyStore, adminToken: ctx.config.admin_token, config: ctx.config, diagnose: ctx.diagnose });
};

// The gateway's HTTP face as a factory, so tests run it in-process against a real store. Every route lives in a
// plugin receiving the GatewayContext; adding a face (browser leg, dashboard, …) is one line here.
export const ROUTE_PLUGINS: FastifyPluginAsync<GatewayContext>[] = [
  healthRoutes,
  eventsRoutes,
  shopifyRoutes,
  collectRoutes,
  browserScriptRoutes,
  adminReplayRoutes,
  reconcileRoutes,
  diagnosticsMount,
  adminApiRoutes,
  dashboardRoutes,
];

declare module 'fastify' {
  interface FastifyInstance {
    gateway: GatewayContext;
  }
}

export interface BuildAppOptions {
  config: LoadedConfig;
  store: OutboxStore;
  worker: WorkerHandle;
  logger: Logger;
  metrics?: GatewayMetrics;
  state?: GatewayState;
  historyStore?: HistoryStore;
  /** Default: gatewayReads over the store (a worker thread unless the database is in memory). */
  reads?: GatewayReads;
  /** Extra route plugins (tests, later issues wiring themselves in before they are listed above). */
  plugins?: FastifyPluginAsync<GatewayContext>[];
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const metrics = opts.metrics ?? createMetrics();
  metrics.bindStore(opts.store);
  const ctx: GatewayContext = {
    config: opts.config,
    store: opts.store,
    worker: opts.worker,
    logger: opts.logger,
    metrics,
    state: opts.state ?? { accepting: true },
    ...(opts.reads ?? gatewayReads(opts.store, opts.config.storage.url, opts.config.destinations)),
  };
  if (opts.historyStore) ctx.historyStore = opts.historyStore;

  const limits = opts.config.server.limits;
  const app = Fastify({
    loggerInstance: opts.logger.child({ component: 'http' }) as FastifyBaseLogger,
    // One log line per request would cost more than the ingest itself at 10k events/s; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: DEFAULT_BODY_LIMIT,
    trustProxy: fastifyTrustProxy(opts.config.server.trust_proxy),
    // Slow clients (docs/RELIABILITY.md "Attacks tried"): a trickled request or an idle socket is closed, so a
    // thousand of them cannot hold the file descriptors. headersTimeout is set on the server below.
    requestTimeout: limits.request_timeout_ms,
    keepAliveTimeout: limits.keep_alive_timeout_ms,
    connectionTimeout: limits.connection_timeout_ms,
    // Shutdown answers come from our own hooks, in our JSON error shape.
    return503OnClosing: false,
    requestIdHeader: false,
  });
  app.server.headersTimeout = Math.min(limits.headers_timeout_ms, limits.request_timeout_ms);
  app.decorate('gateway', ctx);
  registerJsonBody(app, limits.max_json_depth);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof InputError) return reply.code(400).send(errorBody(err.code, err.message, err.path));
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.code(413).send(errorBody('body_too_large', 'the body is larger than this route accepts'));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send(errorBody('unsupported_media_type', 'expected Content-Type: application/json'));
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody((err.code ?? 'bad_request').toLowerCase(), err.message));
    // Never the body or the error's data: only what failed, where.
    request.log.error({ err: { message: err.message, code: err.code, stack: err.stack }, url: request.routeOptions.url }, 'request failed');
    return reply.code(500).send(errorBody('internal_error', 'internal error; see the gateway log'));
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)));

  for (const plugin of [...ROUTE_PLUGINS, ...(opts.plugins ?? [])]) await app.register(plugin, ctx);
  return app;
}
