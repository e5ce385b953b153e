import type { FastifyPluginAsync } from 'fastify';
import { bearerToken, tokenMatcher } from '../auth.js';
import type { GatewayContext } from '../context.js';
import { replyError } from '../http-error.js';

// GET /healthz (liveness; 503 while draining so a load balancer stops sending) and GET /metrics (Prometheus).

export const healthRoutes: FastifyPluginAsync<GatewayContext> = async (app, ctx) => {
  app.get('/healthz', async (_request, reply) => {
    if (!ctx.state.accepting) return reply.code(503).send({ status: 'stopping' });
    return reply.send({ status: 'ok' });
  });

  // server.metrics_token: the metrics name destinations, volumes and failure codes — a scraper needs the token.
  const token = ctx.config.server.metrics_token;
  const isMetricsToken = tokenMatcher(token === undefined ? [] : [token]);
  app.get('/metrics', async (request, reply) => {
    if (token !== undefined && !isMetricsToken(bearerToken(request.headers.authorization))) {
      return replyError(reply, 401, 'unauthorized', 'expected Authorization: Bearer <server.metrics_token>');
    }
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
};
