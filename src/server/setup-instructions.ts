import type { MatchkeyConfig } from '../config/schema.js';

// What `serve` prints after "listening" for the sources the file configures: the exact addresses to paste into
// Shopify (README "Shopify"). They are built from `server.public_url` — the address shoppers and Shopify reach —
// never from the listen address, which behind a reverse proxy is loopback.

/** Shopify's webhook topics the gateway acts on, with the names its admin shows (README "Shopify"). */
export const SHOPIFY_WEBHOOK_TOPICS = [
  ['Order payment', 'orders/paid'],
  ['Refund create', 'refunds/create'],
  ['Order cancellation', 'orders/cancelled'],
] as const;

export function setupInstructions(config: Pick<MatchkeyConfig, 'server' | 'sources'>, listenUrl: string): string[] {
  const { shopify, browser } = config.sources;
  if (!shopify && !browser) return [];
  const base = config.server.public_url ?? listenUrl;
  const lines: string[] = [];
  if (config.server.public_url === undefined) {
    lines.push(
      `set server.public_url to the https:// address Shopify and shoppers reach (docs/TLS.md); until then the addresses below use the listen address ${listenUrl}`,
    );
  }
  if (shopify) {
    const topics = SHOPIFY_WEBHOOK_TOPICS.map(([name, topic]) => `${name} (${topic})`).join(', ');
    lines.push(`Shopify webhooks (Settings → Notifications → Webhooks, format JSON): URL ${base}/webhooks/shopify for ${topics}`);
  }
  if (browser) {
    lines.push(`Shopify customer events pixel: paste the code ${base}/shopify-pixel.js returns`);
    lines.push(`theme script (optional): <script src="${base}/matchkey.js" async></script>`);
  }
  return lines;
}
