import type { FastifyInstance } from 'fastify';
import { startAlertEngine, type AlertEngine } from '../alerts/engine.js';
import type { LoadedConfig } from '../config/load.js';
import { startDeliveryWorker } from '../delivery/worker.js';
import { openHistoryStore } from '../diagnostics/history/open.js';
import { scheduleDailySnapshots, takeDailySnapshotWith } from '../diagnostics/history/snapshot.js';
import { gatewayReads } from '../diagnostics/diagnose-in-thread.js';
import { scheduleQualityPulls } from '../diagnostics/quality/pull.js';
import { InputError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import { openStore } from '../outbox/open.js';
import { parseSecretKey } from '../outbox/seal.js';
import type { OutboxStore } from '../outbox/types.js';
import { buildApp } from './app.js';
import type { GatewayState } from './context.js';
import { createMetrics } from './metrics.js';

// The running gateway: store + delivery worker + HTTP, and the orderly shutdown of the three:
// stop taking events (503), let in-flight requests and sends finish, release claims, close the store.

export interface RunningGateway {
  url: string;
  app: FastifyInstance;
  store: OutboxStore;
  /** The alert engine when `alerts` is configured (docs/ALERTS.md). */
  alerts: AlertEngine | undefined;
  /** Idempotent. */
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  config: LoadedConfig;
  logger: Logger;
  /** Where MATCHKEY_SECRET_KEY is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The key that seals Klaviyo's raw contact at rest. Required when a Klaviyo destination is enabled: without it
 * the raw email and phone would have to be written in clear, which Matchkey never does.
 */
export function secretKeyFor(config: LoadedConfig, env: NodeJS.ProcessEnv): Buffer | undefined {
  const key = parseSecretKey(env.MATCHKEY_SECRET_KEY);
  const klaviyo = config.destinations.find((d) => d.platform === 'klaviyo');
  if (klaviyo && !key) {
    throw new InputError(
      'MATCHKEY_SECRET_KEY',
      `destination "${klaviyo.id}" (Klaviyo) needs MATCHKEY_SECRET_KEY — 32 random bytes, e.g. \`openssl rand -hex 32\` — to keep the raw email and phone Klaviyo takes encrypted until delivered`,
      'secret_key_missing',
    );
  }
  return key;
}

export async function startGateway(opts: StartGatewayOptions): Promise<RunningGateway> {
  const { config, logger } = opts;
  const secretKey = secretKeyFor(config, opts.env ?? process.env);
  const store = await openStore(config.storage.url, secretKey ? { secretKey, logger } : { logger });
  await store.migrate();
  await store.takeOwnership?.();

  let historyStore;
  try {
    historyStore = await openHistoryStore(config.storage.url);
  } catch (err) {
    await store.close();
    throw err;
  }

  const metrics = createMetrics({ defaultMetrics: true });
  const state: GatewayState = { accepting: true };
  const worker = startDeliveryWorker({ store, destinations: config.destinations, delivery: config.delivery, logger, observer: metrics.observer });
  // The dashboard's diagnostics and reconciliations and the daily snapshots share one read thread, one at a time.
  const reads = gatewayReads(store, config.storage.url, config.destinations);
  let app: FastifyInstance;
  try {
    app = await buildApp({ config, store, worker, logger, metrics, state, historyStore, reads });
    await app.listen({ host: config.server.host, port: config.server.port });
  } catch (err) {
    await worker.stop();
    await historyStore.close();
    await store.close();
    throw err;
  }
  // The history moves by itself — today's snapshot refreshed every 15 minutes, yesterday's
  // completed once the day turns — so a key rollout shows on the chart without anyone running a command.
  const snapshots = scheduleDailySnapshots({
    store,
    history: historyStore,
    config,
    take: (day: string) => takeDailySnapshotWith(reads.diagnose, historyStore, day, Date.now()),
    onError: (err) => logger.warn({ err }, 'daily diagnostics snapshot failed'),
  });
  // Alerts (docs/ALERTS.md): evaluated every alerts.interval_s, incidents kept beside the history.
  const alerts: AlertEngine | undefined = config.alerts
    ? startAlertEngine({ config: config.alerts, store, incidents: historyStore, gauges: historyStore, health: () => worker.health(), destinations: config.destinations, logger })
    : undefined;
  // The first one a minute after start: a restart with a backlog goes to delivering first.
  const firstSnapshot = setTimeout(() => void snapshots.tick(), 60_000);
  firstSnapshot.unref();
  // The platforms' own quality scores (Meta Dataset Quality API, Pinterest event quality score, Google's upload
  // diagnostics, read from the outbox on the Data Manager path), pulled once a day
  // into the same history; `matchkey quality pull` does the same on demand.
  const qualityPulls = scheduleQualityPulls({
    destinations: config.destinations,
    history: historyStore,
    outbox: store,
    onResult: (r) => {
      if (r.pulled.length + r.failed.length > 0) logger.info({ day: r.day, pulled: r.pulled.map((q) => q.destination_id), failed: r.failed }, 'platform quality scores pulled');
    },
    onError: (err) => logger.warn({ err }, 'platform quality pull failed'),
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const url = `http://${host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      state.accepting = false;
      logger.info('shutting down: no new events, finishing in-flight requests and sends');
      clearTimeout(firstSnapshot);
      snapshots.stop();
      qualityPulls.stop();
      await alerts?.stop();
      await app.close();
      await worker.stop();
      await historyStore.close();
      await store.close();
      logger.info('stopped');
    })());

  return { url, app, store, alerts, close };
}

/**
 * Keeps the process alive until `work` settles. Some teardown awaits only unref'd handles (the store's checkpoint
 * thread, the worker's sleeps); with nothing else referenced Node would exit mid-await (code 13) instead.
 */
export async function holdOpen<T>(work: Promise<T>): Promise<T> {
  const keepAlive = setInterval(() => undefined, 60_000);
  try {
    return await work;
  } finally {
    clearInterval(keepAlive);
  }
}
