import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { formatIssue, toUnixSeconds } from '../../event/schema.js';
import type { ReplayFilter } from '../../outbox/types.js';
import { bearerToken, tokenMatcher } from '../auth.js';
import type { GatewayContext } from '../context.js';
import { replyError } from '../http-error.js';

// POST /api/deliveries/replay (admin token): dead or rejected deliveries back to pending, same event_id, so the
// platforms still deduplicate them against anything that did arrive.

const replayBodySchema = z.strictObject({
  status: z.enum(['dead', 'rejected']),
  destination_id: z.string().min(1).max(256).optional(),
  since: z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      const seconds = toUnixSeconds(v);
      if (seconds === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 time or unix seconds' });
        return z.NEVER;
      }
      return seconds * 1000;
    })
    .optional(),
  // Any non-zero integer: the SQLite store names a delivery born in its queue by a negative id
  // (src/outbox/sqlite/queued-delivery.ts), kept once it is a row (a dead one among them).
  delivery_ids: z.array(z.number().int().safe().refine((id) => id !== 0, 'expected a delivery id (a non-zero integer)')).min(1).max(100_000).optional(),
});

export function parseReplayBody(body: unknown): ReplayFilter {
  const parsed = replayBodySchema.safeParse(body);
  if (!parsed.success) throw formatIssue(parsed.error.issues[0]!);
  const filter: ReplayFilter = { status: parsed.data.status };
  if (parsed.data.destination_id !== undefined) filter.destination_id = parsed.data.destination_id;
  if (parsed.data.since !== undefined) filter.since = parsed.data.since;
  if (parsed.data.delivery_ids !== undefined) filter.delivery_ids = parsed.data.delivery_ids;
  return filter;
}

export const adminReplayRoutes: FastifyPluginAsync<GatewayContext> = async (app, ctx) => {
  const isAdmin = tokenMatcher(ctx.config.admin_token ? [ctx.config.admin_token] : []);
  app.post(
    '/api/deliveries/replay',
    {
      onRequest: async (request, reply) => {
        if (!isAdmin(bearerToken(request.headers.authorization))) {
          return replyError(reply, 401, 'unauthorized', ctx.config.admin_token ? 'expected Authorization: Bearer <admin token>' : 'no admin_token is configured');
        }
      },
    },
    async (request, reply) => {
      if (request.rawBody === undefined) return replyError(reply, 415, 'unsupported_media_type', 'expected Content-Type: application/json');
      const filter = parseReplayBody(request.body);
      const replayed = await ctx.store.replay(filter);
      if (replayed > 0) ctx.worker.wake();
      ctx.logger.info({ replayed, status: filter.status, destination_id: filter.destination_id }, 'deliveries replayed');
      return reply.send({ replayed });
    },
  );
};
