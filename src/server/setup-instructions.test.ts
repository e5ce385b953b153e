import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load.js';
import { setupInstructions } from './setup-instructions.js';

const config = (raw: Record<string, unknown>) => validateConfig({ admin_token: 'a'.repeat(16), ...raw }, 'test', {});

describe('setupInstructions', () => {
  it('builds every address to paste into Shopify from server.public_url', () => {
    const lines = setupInstructions(
      config({
        server: { public_url: 'https://matchkey.shop.example/' },
        sources: { shopify: { webhook_secrets: ['s'] }, browser: { allowed_origins: ['null'] } },
      }),
      'http://127.0.0.1:8080',
    );
    expect(lines).toEqual([
      'Shopify webhooks (Settings → Notifications → Webhooks, format JSON): URL https://matchkey.shop.example/webhooks/shopify for Order payment (orders/paid), Refund create (refunds/create), Order cancellation (orders/cancelled)',
      'Shopify customer events pixel: paste the code https://matchkey.shop.example/shopify-pixel.js returns',
      'theme script (optional): <script src="https://matchkey.shop.example/matchkey.js" async></script>',
    ]);
    expect(lines.join('\n')).not.toContain('127.0.0.1');
  });

  it('says to set server.public_url when it is missing, and prints nothing without a Shopify or browser source', () => {
    const lines = setupInstructions(config({ sources: { shopify: { webhook_secrets: ['s'] } } }), 'http://127.0.0.1:8080');
    expect(lines[0]).toMatch(/^set server\.public_url .* listen address http:\/\/127\.0\.0\.1:8080$/);
    expect(lines[1]).toContain('URL http://127.0.0.1:8080/webhooks/shopify for Order payment (orders/paid)');
    expect(lines).toHaveLength(2);
    expect(setupInstructions(config({ sources: { api_keys: ['k'.repeat(16)] } }), 'http://127.0.0.1:8080')).toEqual([]);
  });
});
