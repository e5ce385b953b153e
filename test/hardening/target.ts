import { createScratchDatabase, type ScratchDatabase } from '../../src/outbox/postgres/testing/database.js';
import { configObject, destinationsFor, startInProcess, startSim, tempDir, INGEST_KEY, type InProcessGateway, type Sim } from '../gateway/harness.js';

// A gateway to attack, on either store, with every POST route configured (api key, Shopify, browser leg) and Meta
// behind the simulators.

export type StoreKind = 'sqlite' | 'postgres';
export const SHOP = 'https://shop.example';
export const STORES: StoreKind[] = ['sqlite', 'postgres'];

export interface Target {
  gw: InProcessGateway;
  sim: Sim;
  close(): Promise<void>;
}

export async function startTarget(kind: StoreKind, extra: Record<string, unknown> = {}): Promise<Target> {
  const sim = await startSim();
  const dir = tempDir(`mk-attack-${kind}-`);
  let scratch: ScratchDatabase | undefined;
  const base = configObject(dir, destinationsFor(sim.url, ['meta']), {
    sources: {
      api_keys: [INGEST_KEY],
      shopify: { webhook_secrets: ['shopify-current-secret'] },
      browser: { allowed_origins: [SHOP], rate_limit: { per_second: 1000, burst: 100_000 } },
    },
    ...extra,
  });
  if (kind === 'postgres') {
    scratch = await createScratchDatabase('matchkey_attack');
    base.storage = { url: scratch.url };
  }
  const gw = await startInProcess(dir, base);
  return {
    gw,
    sim,
    async close() {
      await gw.close();
      await sim.close();
      await scratch?.drop();
    },
  };
}
