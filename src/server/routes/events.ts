import type { FastifyPluginAsync } from 'fastify';
import { InputError } from '../../errors.js';
import { applyCurrencyRule } from '../../event/currency.js';
import { parseCanonicalEvent } from '../../event/parse.js';
import type { CanonicalEvent } from '../../event/schema.js';
import { bearerToken, tokenMatcher } from '../auth.js';
import type { GatewayContext } from '../context.js';
import { replyError } from '../http-error.js';
import { acceptance, ingestEvents } from '../ingest.js';

// POST /v1/events (README.md; schema in src/event/schema.ts): one canonical event or {"events":[…]} (≤ 1000). 202
// only after the durable commit; a batch with one invalid event is refused whole, with that event's index in the
// path.

export const MAX_BATCH_EVENTS = 1000;
export const SINGLE_EVENT_BODY_LIMIT = 1024 * 1024;
export const BATCH_BODY_LIMIT = 10 * 1024 * 1024;

export const eventsRoutes: FastifyPluginAsync<GatewayContext> = async (app, ctx) => {
  const isApiKey = tokenMatcher(ctx.config.sources.api_keys);

  app.post(
    '/v1/events',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      // Before the body is read: an unauthenticated caller never costs a parse, and never learns about 413s.
      onRequest: async (request, reply) => {
        if (!ctx.state.accepting) return replyError(reply, 503, 'shutting_down', 'the gateway is shutting down; retry shortly');
        if (!isApiKey(bearerToken(request.headers.authorization))) {
          return replyError(reply, 401, 'unauthorized', 'expected Authorization: Bearer <api key>');
        }
      },
    },
    async (request, reply) => {
      if (request.rawBody === undefined) {
        return replyError(reply, 415, 'unsupported_media_type', 'expected Content-Type: application/json');
      }
      if (!isBatchBody(request.body) && request.rawBody.length > SINGLE_EVENT_BODY_LIMIT) {
        return replyError(reply, 413, 'body_too_large', `one event may be at most ${SINGLE_EVENT_BODY_LIMIT} bytes (batches: ${BATCH_BODY_LIMIT})`);
      }
      const events = parseBody(request.body, ctx.config.default_currency);
      const outcome = await ingestEvents(ctx, events, { source: 'api' });
      return reply.code(202).send(acceptance(outcome));
    },
  );
};

function isBatchBody(body: unknown): body is { events: unknown } {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && Object.prototype.hasOwnProperty.call(body, 'events');
}

function parseBody(body: unknown, defaultCurrency: string | undefined): CanonicalEvent[] {
  if (!isBatchBody(body)) {
    if (Array.isArray(body)) throw new InputError('', 'expected one event object or {"events":[…]}', 'invalid_input');
    return [applyCurrencyRule(parseCanonicalEvent(body), defaultCurrency)];
  }
  const { events, ...rest } = body;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw new InputError(extra, `unknown field "${extra}" next to "events"`, 'unknown_field');
  if (!Array.isArray(events)) throw new InputError('events', 'expected an array of events');
  if (events.length === 0) throw new InputError('events', 'must not be empty');
  if (events.length > MAX_BATCH_EVENTS) throw new InputError('events', `too many events (at most ${MAX_BATCH_EVENTS})`, 'too_many_events');
  // Every event is validated before anything is stored: the batch is refused whole on the first bad one.
  return events.map((raw, i) => applyCurrencyRule(parseCanonicalEvent(raw, ['events', i]), defaultCurrency, ['events', i]));
}

