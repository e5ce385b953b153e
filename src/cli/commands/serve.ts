import type { Command } from 'commander';
import { demoConfig, demoSecrets, DEMO_DATA_DIR } from '../../config/demo.js';
import { loadConfigFile, resolveConfigPath, type LoadedConfig } from '../../config/load.js';
import { configWarnings } from '../../config/warnings.js';
import { InputError } from '../../errors.js';
import { createLogger } from '../../logging/logger.js';
import { tuneHeapForServe } from '../../server/heap.js';
import { holdOpen, startGateway, type RunningGateway } from '../../server/run.js';
import { setupInstructions } from '../../server/setup-instructions.js';
import { startSimulators } from '../../simulators/server.js';

// `matchkey serve`: the gateway as a long-running process. Configuration errors exit 2 naming the key path; with
// no configuration at all it exits 2 too (the demo runs only when asked for, with --demo: never by accident);
// SIGTERM/SIGINT drain (503 for new events, in-flight sends finish, claims released) and exit 0.

/** In-flight sends are bounded by delivery.request_timeout_ms (default 10 s); this leaves room for a few. */
const SHUTDOWN_DEADLINE_MS = 30_000;

interface ServeOptions {
  config?: string;
  demo?: boolean;
  host?: string;
  port?: string;
  dataDir?: string;
}

export function registerServe(command: Command): void {
  command
    .option('--config <file>', 'configuration file (else $MATCHKEY_CONFIG, else ./matchkey.config.json)')
    .option('--demo', 'run the demo: every platform pointed at built-in simulators (ignores any config file)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .option('--port <port>', 'listen port, 0 for any free port (overrides server.port)')
    .option('--data-dir <dir>', `demo: where the SQLite database and secret key live (default ${DEMO_DATA_DIR})`)
    .action(async (opts: ServeOptions) => {
      // Explicit exit: a drained gateway must not linger on a stray timer or socket.
      process.exit(await holdOpen(serve(opts)));
    });
}

async function serve(opts: ServeOptions): Promise<number> {
  const logger = createLogger();
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write(`--port: expected a port number, got ${JSON.stringify(opts.port)}\n`);
    return 2;
  }
  const configPath = opts.demo ? null : resolveConfigPath(opts.config);
  if (!opts.demo && !configPath) {
    process.stderr.write(
      'matchkey: no configuration: pass --config FILE or set MATCHKEY_CONFIG (docs/CONFIGURATION.md); to try the demo instead, run `matchkey serve --demo` (or `npm start`)\n',
    );
    return 2;
  }
  const env = { ...process.env };
  const cleanups: (() => Promise<void>)[] = [];
  let config: LoadedConfig;
  let banner: string[] = [];
  try {
    if (configPath) {
      config = loadConfigFile(configPath, env);
    } else {
      const simulators = await startSimulators({ host: '127.0.0.1', port: 0 });
      cleanups.push(() => simulators.close());
      const dataDir = opts.dataDir ?? DEMO_DATA_DIR;
      const secrets = demoSecrets(dataDir, env);
      env.MATCHKEY_SECRET_KEY = secrets.secretKey;
      config = demoConfig({ simulatorUrl: simulators.url, dataDir, env, ...(port !== undefined ? { port } : {}), ...(opts.host ? { host: opts.host } : {}) }, secrets);
      banner = demoBanner(simulators.url, secrets);
    }
    if (opts.host) config.server.host = opts.host;
    if (port !== undefined) config.server.port = port;
  } catch (err) {
    await runAll(cleanups);
    return reportStartError(err);
  }

  let gateway: RunningGateway;
  try {
    // Before the store's threads start: they are V8 isolates too and take the flag at creation.
    tuneHeapForServe();
    gateway = await startGateway({ config, logger, env });
  } catch (err) {
    await runAll(cleanups);
    return reportStartError(err);
  }
  logger.info({ url: gateway.url, config: config.origin, destinations: config.destinations.map((d) => d.id) }, 'matchkey listening');
  process.stdout.write(`matchkey listening on ${gateway.url} (config: ${config.origin})\n`);
  for (const line of banner) process.stdout.write(`${line.replaceAll('{URL}', gateway.url)}\n`);
  if (configPath) {
    for (const line of setupInstructions(config, gateway.url)) process.stdout.write(`${line}\n`);
    for (const warning of configWarnings(config)) {
      process.stderr.write(`matchkey: warning: ${warning}\n`);
      logger.warn({ warning }, 'configuration warning');
    }
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        // A second signal: the operator wants out now. Acknowledged events are durable; claims expire.
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'signal received');
      // A referenced timer keeps the process alive while the drain awaits timers that are unref'd (worker sleeps),
      // and bounds the drain: past the deadline, exit anyway (acknowledged events are durable; leases expire).
      const deadline = setTimeout(() => {
        logger.error({ after_ms: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time; exiting');
        resolve(1);
      }, SHUTDOWN_DEADLINE_MS);
      gateway
        .close()
        .then(() => runAll(cleanups))
        .then(
          () => resolve(0),
          (err: unknown) => {
            logger.error({ err: { message: (err as Error).message } }, 'shutdown failed');
            resolve(1);
          },
        )
        .finally(() => clearTimeout(deadline));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

function demoBanner(simulatorUrl: string, secrets: ReturnType<typeof demoSecrets>): string[] {
  const lines = [`demo mode: every destination points at the built-in simulators on ${simulatorUrl}`];
  if (secrets.generated.ingestKey) lines.push(`  ingest api key (generated, set MATCHKEY_INGEST_KEY to choose one): ${secrets.ingestKey}`);
  if (secrets.generated.adminToken) lines.push(`  admin token (generated, set MATCHKEY_ADMIN_TOKEN to choose one): ${secrets.adminToken}`);
  if (secrets.generated.secretKey) lines.push('  MATCHKEY_SECRET_KEY generated and kept in the data directory (secret.key, mode 0600)');
  lines.push(
    '  try:',
    `  curl -s -X POST {URL}/v1/events -H 'Authorization: Bearer ${secrets.ingestKey}' -H 'Content-Type: application/json' \\`,
    `    -d '{"event_name":"purchase","event_time":${Math.floor(Date.now() / 1000)},"action_source":"website","event_source_url":"https://shop.example/checkouts/thank_you","user":{"email":"jane@example.com","client_ip_address":"203.0.113.7","client_user_agent":"Mozilla/5.0"},"commerce":{"order_id":"1001","value":59.9,"currency":"USD"}}'`,
    `  then see what each platform received: curl -s '${simulatorUrl}/_sim/requests?platform=meta'`,
  );
  return lines;
}

function reportStartError(err: unknown): number {
  if (err instanceof InputError) {
    process.stderr.write(`matchkey: configuration error${err.path ? ` at ${err.path}` : ''}: ${err.message.replace(`${err.path}: `, '')}\n`);
    return 2;
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    process.stderr.write(`matchkey: ${e.message} — another process uses that port; pass --port or change server.port\n`);
    return 2;
  }
  process.stderr.write(`matchkey: could not start: ${e.message}\n`);
  return 1;
}

async function runAll(cleanups: (() => Promise<void>)[]): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
