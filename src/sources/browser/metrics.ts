import { Counter, type Registry } from 'prom-client';
import type { EnrichmentOutcome } from './order-enrichment.js';

// The browser leg's counters, registered once per gateway registry (GatewayMetrics.registry), so the enrichment
// limitation (webhook before browser event) is visible on /metrics rather than only in the docs.

export type CollectOutcome = 'accepted' | 'origin_refused' | 'rate_limited' | 'invalid' | 'browser_after_webhook';

export interface BrowserMetrics {
  enrichment(outcome: EnrichmentOutcome): void;
  collect(outcome: CollectOutcome): void;
}

const byRegistry = new WeakMap<Registry, BrowserMetrics>();

export function browserMetrics(registry: Registry): BrowserMetrics {
  let metrics = byRegistry.get(registry);
  if (!metrics) {
    const enrichment = new Counter({
      name: 'matchkey_browser_enrichment_total',
      help: 'Order webhooks by browser-context enrichment outcome (no_context includes webhooks that came before their browser event)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    const collect = new Counter({
      name: 'matchkey_browser_collect_total',
      help: 'POST /collect requests by outcome; browser_after_webhook: a browser purchase stored after its order webhook (no enrichment possible)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    metrics = { enrichment: (o) => enrichment.inc({ outcome: o }), collect: (o) => collect.inc({ outcome: o }) };
    byRegistry.set(registry, metrics);
  }
  return metrics;
}
