import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '../../errors.js';
import { browserContextOf } from '../../sources/browser/context.js';
import { clientIp } from '../../sources/browser/client-ip.js';
import { parseCollectBody } from '../../sources/browser/collect-body.js';
import { collectCookies } from '../../sources/browser/collect-cookies.js';
import { browserJoinKeys } from '../../sources/browser/join-keys.js';
import { browserMetrics } from '../../sources/browser/metrics.js';
import { originMatcher } from '../../sources/browser/origin.js';
import { IpRateLimiter } from '../../sources/browser/rate-limit.js';
import type { GatewayContext } from '../context.js';
import { replyError } from '../http-error.js';
import { acceptance, ingestEvents } from '../ingest.js';
import { addJsonParser } from '../json-body.js';

// POST /collect (docs/BROWSER.md): the browser leg. One canonical event per request, from
// matchkey.js or the Shopify web pixel, on an allowed origin only (CORS), within a body-size limit and a per-IP
// rate limit. The gateway fills in the shopper's IP and user agent, stores the event hashed like every other
// (source `browser`) and keeps its plain context (cookies, click ids, UA) for the order webhook that follows.

const PREFLIGHT_MAX_AGE_S = 86_400;

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export const collectRoutes: FastifyPluginAsync<GatewayContext> = async (app, ctx) => {
  const browser = ctx.config.sources.browser;
  const metrics = browserMetrics(ctx.metrics.registry);
  const allowed = originMatcher(browser?.allowed_origins ?? []);
  const limiter = browser ? new IpRateLimiter(browser.rate_limit) : undefined;

  // navigator.sendBeacon posts a string as text/plain (a CORS-safelisted type: no preflight). Registered in this
  // plugin's own scope, so text/plain is accepted on /collect only.
  addJsonParser(app, /^text\/plain(?:\s*;|\s*$)/i, ctx.config.server.limits.max_json_depth);

  const allowOrigin = (reply: FastifyReply, origin: string) => {
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
  };

  /** Before the body is read: configuration, shutdown, origin, then the per-IP budget. */
  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!browser) return replyError(reply, 404, 'not_configured', 'sources.browser is not configured');
    const origin = header(request.headers.origin);
    if (!allowed(origin)) {
      metrics.collect('origin_refused');
      return replyError(reply, 403, 'origin_not_allowed', 'this Origin is not in sources.browser.allowed_origins');
    }
    allowOrigin(reply, origin!);
    if (request.method === 'OPTIONS') return;
    if (!ctx.state.accepting) return replyError(reply, 503, 'shutting_down', 'the gateway is shutting down; retry shortly');
    const ip = clientIp(request.ip) ?? 'unknown';
    const taken = limiter!.take(ip);
    if (!taken.ok) {
      metrics.collect('rate_limited');
      reply.header('retry-after', String(taken.retry_after_s));
      return replyError(reply, 429, 'rate_limited', `too many events from this address; retry in ${taken.retry_after_s} s`);
    }
  };

  app.options('/collect', { onRequest: guard }, async (_request, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'POST, OPTIONS')
      .header('access-control-allow-headers', 'Content-Type')
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_S))
      .send(),
  );

  app.post('/collect', { onRequest: guard, bodyLimit: browser?.max_body_bytes ?? 64 * 1024 }, async (request, reply) => {
    if (request.rawBody === undefined) {
      return replyError(reply, 415, 'unsupported_media_type', 'expected Content-Type: application/json or text/plain (navigator.sendBeacon)');
    }
    let parsed;
    try {
      parsed = parseCollectBody(request.body, {
        ip: clientIp(request.ip),
        userAgent: header(request.headers['user-agent']),
      });
    } catch (err) {
      if (err instanceof InputError) metrics.collect('invalid');
      throw err;
    }
    const { event, tokens } = parsed;
    const outcome = await ingestEvents(ctx, [event], { source: 'browser' });
    const hashed = outcome.hashed[0]!;
    if (ctx.store.saveBrowserContext) await ctx.store.saveBrowserContext(browserJoinKeys(hashed, tokens), browserContextOf(hashed));
    // The order webhook got here first: its deliveries are already planned, nothing left to enrich (documented).
    const late = event.event_name === 'purchase' && outcome.stored[0] === true && outcome.deliveries_created[0] === 0 && ctx.config.destinations.length > 0;
    metrics.collect(late ? 'browser_after_webhook' : 'accepted');
    collectCookies(request, reply, hashed, browser?.cookie_domain);
    return reply.code(202).send(acceptance(outcome));
  });
};
