import { EventBodies } from './bodies.js';
import { pauseDestinations, removeDir, scratchDir, type Cluster } from './cluster.js';
import { ALL_PLATFORMS, spawnGateway, writeGatewayConfig, type GatewayProcess } from './gateway.js';
import { ingestPool } from './load.js';
import { SimClient, startSimulatorsChild } from './simulators.js';

/**
 * One `matchkey serve` child (compiled dist/) on a scratch SQLite file with the five destinations of the ingest
 * benchmark configured and paused at their simulators (own process), and a pool to post to it: what the micro
 * benches that read a gateway's own threads or memory start from. `next(count)` numbers the events posted.
 */
export interface PausedGateway {
  gateway: GatewayProcess;
  pool: ReturnType<typeof ingestPool>;
  bodies: EventBodies;
  /** The first of `count` event numbers not posted yet. */
  next(count?: number): number;
  close(): Promise<void>;
}

export async function startPausedGateway(o: { tag: string; connections: number; nodeArgs?: string[] }): Promise<PausedGateway> {
  const sims = await startSimulatorsChild();
  const sim = new SimClient(sims.url);
  const dir = scratchDir(`mk-${o.tag}-`);
  const bodies = new EventBodies(`${o.tag}${Date.now().toString(36)}`);
  let n = 0;
  const next = (count = 1): number => (n += count) - count;
  const configPath = writeGatewayConfig(dir, { storageUrl: `sqlite:${dir}/matchkey.db`, simUrl: sims.url, platforms: ALL_PLATFORMS });
  const gateway = await spawnGateway({ configPath, ...(o.nodeArgs ? { nodeArgs: o.nodeArgs } : {}) }).catch(async (err: unknown) => {
    await sims.close();
    throw err;
  });
  const pool = ingestPool({ url: gateway.url, connections: o.connections });
  const cluster: Cluster = { dir, gateways: [gateway], pools: [pool], configPath, close: async () => undefined };
  const close = async (): Promise<void> => {
    await pool.close();
    await gateway.stop();
    await sim.normal().catch(() => undefined);
    await sims.close();
    removeDir(dir);
  };
  try {
    await pauseDestinations(cluster, sim, ALL_PLATFORMS, () => bodies.one(next()));
  } catch (err) {
    await close();
    throw err;
  }
  return { gateway, pool, bodies, next, close };
}
