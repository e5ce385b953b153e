import { Counter, type Registry } from 'prom-client';

// Shopify webhooks by outcome on /metrics, so a wrong signing secret or a subscription to a topic Matchkey does not
// use shows as a number an alert can watch, not only as a log line.

export type WebhookOutcome = 'accepted' | 'invalid_signature' | 'unused_topic' | 'missing_topic';

const byRegistry = new WeakMap<Registry, (outcome: WebhookOutcome, topic: string) => void>();

export function shopifyWebhookCounter(registry: Registry): (outcome: WebhookOutcome, topic: string) => void {
  let count = byRegistry.get(registry);
  if (!count) {
    const counter = new Counter({
      name: 'matchkey_shopify_webhooks_total',
      help: 'Shopify webhooks by outcome (invalid_signature: no configured secret matches; unused_topic: a subscription Matchkey ignores) and topic',
      labelNames: ['outcome', 'topic'],
      registers: [registry],
    });
    count = (outcome, topic) => counter.inc({ outcome, topic });
    byRegistry.set(registry, count);
  }
  return count;
}
