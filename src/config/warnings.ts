import { PLATFORMS } from '../platforms/registry.js';
import type { LoadedConfig } from './load.js';

/**
 * What a valid configuration may still get wrong without an error: printed by `serve` at start and by `check`,
 * so none of it passes silently.
 */
export function configWarnings(config: LoadedConfig): string[] {
  const warnings: string[] = [];
  if (!config.admin_token) {
    warnings.push('admin_token is not set: the dashboard, the admin API and replay over HTTP answer 401 to everyone');
  }
  const { api_keys, shopify, browser } = config.sources;
  if (api_keys.length === 0 && !shopify && !browser) {
    warnings.push('no source is configured (sources.api_keys, sources.shopify, sources.browser): the gateway accepts no event');
  }
  if (config.destinations.length === 0) warnings.push('no destination is enabled: events are stored and sent nowhere');
  for (const d of config.destinations) {
    if (!PLATFORMS[d.platform].isTestMode(d)) warnings.push(`destination ${d.id} (${d.platform}) sends LIVE events (no test mode)`);
  }
  return warnings;
}
