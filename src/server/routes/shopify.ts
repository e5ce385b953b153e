import type { FastifyPluginAsync } from 'fastify';
import { InputError } from '../../errors.js';
import { PLATFORMS } from '../../platforms/registry.js';
import { verifyShopifyHmac } from '../../sources/shopify/hmac.js';
import type { ShopifyOrder, ShopifyRefund } from '../../sources/shopify/order.js';
import { cancelledOrderRecord, paidOrderRecord, refundRecord } from '../../sources/shopify/order-record.js';
import { browserMetrics } from '../../sources/browser/metrics.js';
import { enrichOrderEvent } from '../../sources/browser/order-enrichment.js';
import { shopifyWebhookCounter } from '../../sources/shopify/metrics.js';
import { orderToEvent } from '../../sources/shopify/order-to-event.js';
import { refundToEvent } from '../../sources/shopify/refund-to-event.js';
import type { GatewayContext } from '../context.js';
import { replyError } from '../http-error.js';
import { jsonTextOf, keepJsonRaw, parseJsonSafely } from '../json-body.js';
import { ingestEvents } from '../ingest.js';

// POST /webhooks/shopify (topics orders/paid, refunds/create, orders/cancelled: README "Shopify"). Shopify gives up on a delivery after 5 s and retries 8 times over
// 4 h, then deletes the subscription: the answer only waits for the durable commit, never for a platform send,
// and a payload we cannot map is acknowledged (and logged) rather than refused into a retry storm.

export const SHOPIFY_BODY_LIMIT = 5 * 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export const shopifyRoutes: FastifyPluginAsync<GatewayContext> = async (app, ctx) => {
  const secrets = ctx.config.sources.shopify?.webhook_secrets ?? [];
  // The body is parsed only once its signature holds: an unsigned 5 MB body costs a hash, not a parse.
  keepJsonRaw(app);
  const refundsWanted = ctx.config.destinations.some((d) => PLATFORMS[d.platform].sendsRefunds === true);
  const count = shopifyWebhookCounter(ctx.metrics.registry);
  /** Only the topics Shopify documents reach the metric's label; anything else is counted as "other". */
  const topicLabel = (topic: string | undefined): string => (topic && /^[a-z_]+\/[a-z_]+$/.test(topic) ? topic : 'other');

  app.post(
    '/webhooks/shopify',
    {
      bodyLimit: SHOPIFY_BODY_LIMIT,
      onRequest: async (_request, reply) => {
        if (!ctx.state.accepting) return replyError(reply, 503, 'shutting_down', 'the gateway is shutting down; retry shortly');
        if (secrets.length === 0) return replyError(reply, 404, 'not_configured', 'sources.shopify is not configured');
      },
    },
    async (request, reply) => {
      if (request.rawBody === undefined) return replyError(reply, 415, 'unsupported_media_type', 'expected Content-Type: application/json');
      if (!verifyShopifyHmac(request.rawBody, header(request.headers['x-shopify-hmac-sha256']), secrets)) {
        const topic = header(request.headers['x-shopify-topic']);
        count('invalid_signature', topicLabel(topic));
        // Never the secret, nor the body: the shop and topic say which subscription is signed with another secret.
        ctx.logger.warn(
          { shop: header(request.headers['x-shopify-shop-domain']), topic, webhook_id: header(request.headers['x-shopify-webhook-id']), secrets_configured: secrets.length },
          'shopify webhook refused: the signature matches no secret in sources.shopify.webhook_secrets (use the app\'s webhook signing secret)',
        );
        return replyError(reply, 401, 'invalid_hmac', 'X-Shopify-Hmac-Sha256 is missing or does not match any configured secret');
      }
      const topic = header(request.headers['x-shopify-topic']);
      const webhookId = header(request.headers['x-shopify-webhook-id']);
      const body = parseJsonSafely(jsonTextOf(request.rawBody), ctx.config.server.limits.max_json_depth, { stripNul: true });
      if (!isObject(body)) throw new InputError('', 'expected a JSON object');
      // The signature covers the body, not the headers: a signed orders/paid body replayed under another topic
      // must not become a cancellation.
      const contradiction = topicContradiction(topic, body);
      if (contradiction) return replyError(reply, 400, 'topic_mismatch', contradiction);
      const idempotency = webhookId === undefined ? {} : { webhook_id: webhookId };
      if (topic === 'orders/paid' || topic === 'refunds/create' || topic === 'orders/cancelled') count('accepted', topic);

      switch (topic) {
        case 'orders/paid': {
          const order = requireId(body, 'id') as unknown as ShopifyOrder;
          const record = paidOrderRecord(order);
          let event;
          try {
            event = orderToEvent(order, ctx.config.default_country ? { defaultCountry: ctx.config.default_country } : {});
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            // Logged by path and code only: the message names the field, never its value.
            ctx.logger.warn({ topic, order_id: record.order_id, path: err.path, code: err.code }, 'shopify order could not be mapped to a purchase; order recorded only');
            const { duplicate_webhook } = await ctx.store.recordOrder(record, idempotency);
            return reply.code(200).send({ ok: true, duplicate: duplicate_webhook, event_id: null });
          }
          // What the browser leg saw before this webhook (cookies, click ids, user agent) fills what the order lacks.
          const enrichment = await enrichOrderEvent(ctx.store, order, event, Date.now());
          event = enrichment.event;
          const outcome = await ingestEvents(ctx, [event], { source: 'shopify', test: order.test === true, order: record, ...idempotency });
          if (!outcome.duplicate_webhook) {
            browserMetrics(ctx.metrics.registry).enrichment(enrichment.outcome);
            if (enrichment.filled.length > 0) {
              ctx.logger.debug({ order_id: record.order_id, filled: enrichment.filled, matched_keys: enrichment.matched_keys.map((k) => k.split(':')[0]) }, 'order enriched from the browser leg');
            }
          }
          return reply.code(200).send({ ok: true, duplicate: outcome.duplicate_webhook, event_id: event.event_id });
        }
        case 'refunds/create': {
          const refund = requireId(body, 'order_id') as unknown as ShopifyRefund;
          const record = refundRecord(refund);
          let event = null;
          try {
            // Only when a destination takes refunds (GA4): otherwise the refund is a reconciliation record only.
            if (refundsWanted) event = refundToEvent(refund);
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            ctx.logger.warn({ topic, order_id: record.order_id, path: err.path, code: err.code }, 'shopify refund could not be mapped to a refund event; refund recorded only');
          }
          // A refund that moved money goes out as a `refund` event (to the platforms that take refunds) with its record.
          if (event) {
            const outcome = await ingestEvents(ctx, [event], { source: 'shopify', order: record, ...idempotency });
            return reply.code(200).send({ ok: true, duplicate: outcome.duplicate_webhook, event_id: event.event_id });
          }
          const { duplicate_webhook } = await ctx.store.recordOrder(record, idempotency);
          return reply.code(200).send({ ok: true, duplicate: duplicate_webhook });
        }
        case 'orders/cancelled': {
          const order = requireId(body, 'id') as unknown as ShopifyOrder;
          const { duplicate_webhook } = await ctx.store.recordOrder(cancelledOrderRecord(order), idempotency);
          return reply.code(200).send({ ok: true, duplicate: duplicate_webhook });
        }
        case undefined:
          count('missing_topic', 'other');
          return replyError(reply, 400, 'missing_topic', 'expected an X-Shopify-Topic header');
        default:
          // Another subscription pointed here: acknowledge, so Shopify does not retry it for hours, but say so.
          count('unused_topic', topicLabel(topic));
          ctx.logger.warn({ topic, shop: header(request.headers['x-shopify-shop-domain']) }, 'shopify webhook topic not used by Matchkey: acknowledged and ignored; remove that subscription (Matchkey uses orders/paid, refunds/create, orders/cancelled)');
          return reply.code(200).send({ ok: true, ignored: true });
      }
    },
  );
};

/** Why the body cannot be a `topic` payload, when its shape says so (the fields each topic's payload always has). */
export function topicContradiction(topic: string | undefined, body: Record<string, unknown>): string | undefined {
  const isRefund = Array.isArray(body.refund_line_items) && body.order_id !== undefined;
  const cancelled = typeof body.cancelled_at === 'string' && body.cancelled_at !== '';
  switch (topic) {
    case 'orders/paid':
      if (isRefund) return 'X-Shopify-Topic is orders/paid but the body is a refund';
      if (cancelled) return 'X-Shopify-Topic is orders/paid but the order in the body is cancelled';
      return undefined;
    case 'orders/cancelled':
      if (isRefund) return 'X-Shopify-Topic is orders/cancelled but the body is a refund';
      if (!cancelled) return 'X-Shopify-Topic is orders/cancelled but the order in the body has no cancelled_at';
      return undefined;
    case 'refunds/create':
      return isRefund ? undefined : 'X-Shopify-Topic is refunds/create but the body is not a refund (no order_id and refund_line_items)';
    default:
      return undefined;
  }
}

function requireId(body: Record<string, unknown>, field: string): Record<string, unknown> {
  const id = body[field];
  const ok = (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) || (typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id));
  if (!ok) throw new InputError(field, 'expected the Shopify id (a positive integer)');
  return body;
}
