import type { FastifyPluginAsync } from 'fastify';
import type { GatewayContext } from '../context.js';

// GET /healthz (liveness; 503 while draining so a load balancer stops sending) and GET /metrics (Prometheus).

export const healthRoutes: FastifyPluginAsync<GatewayContext> = async (app, ctx) => {
  app.get('/healthz', async (_request, reply) => {
    if (!ctx.state.accepting) return reply.code(503).send({ status: 'stopping' });
    return reply.send({ status: 'ok' });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
};
