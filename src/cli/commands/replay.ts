import type { Command } from 'commander';
import { demoConfig, demoSecrets, DEMO_DATA_DIR } from '../../config/demo.js';
import { loadConfigFile, resolveConfigPath, type LoadedConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { createLogger } from '../../logging/logger.js';
import { openStore } from '../../outbox/open.js';
import { parseSecretKey } from '../../outbox/seal.js';
import type { ReplayFilter } from '../../outbox/types.js';
import { parseReplayBody } from '../../server/routes/admin-replay.js';
import { holdOpen } from '../../server/run.js';
import { progressOn } from '../progress.js';

// `matchkey replay`: dead or rejected deliveries back to pending with the same event_id. Opens the
// store directly; a running gateway picks the rows up on its next poll (or at once via POST /api/deliveries/replay).

interface ReplayOptions {
  status: string;
  destination?: string;
  since?: string;
  config?: string;
  dataDir?: string;
  json?: boolean;
}

export function registerReplay(command: Command): void {
  command
    .requiredOption('--status <status>', 'dead | rejected')
    .option('--destination <id>', 'only this destination')
    .option('--since <iso>', 'only deliveries that ended at or after this time (ISO-8601)')
    .option('--config <file>', 'configuration file (else $MATCHKEY_CONFIG, else ./matchkey.config.json, else the demo)')
    .option('--data-dir <dir>', `demo: the data directory (default ${DEMO_DATA_DIR})`)
    .option('--json', 'print {"replayed":n}')
    .action(async (opts: ReplayOptions) => {
      process.exit(await holdOpen(replay(opts)));
    });
}

async function replay(opts: ReplayOptions): Promise<number> {
  const logger = createLogger({ level: process.env.MATCHKEY_LOG_LEVEL ?? 'warn' });
  let config: LoadedConfig;
  let filter: ReplayFilter;
  try {
    const body: Record<string, unknown> = { status: opts.status };
    if (opts.destination !== undefined) body.destination_id = opts.destination;
    if (opts.since !== undefined) body.since = opts.since;
    filter = parseReplayBody(body);
    config = storeConfig(opts);
    if (filter.destination_id !== undefined && !config.destinations.some((d) => d.id === filter.destination_id)) {
      process.stderr.write(`matchkey replay: note: "${filter.destination_id}" is not an enabled destination in ${config.origin}\n`);
    }
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`matchkey replay: ${optionName(err.path)}${err.message.replace(`${err.path}: `, '')}\n`);
      return 2;
    }
    throw err;
  }
  const secretKey = parseSecretKey(process.env.MATCHKEY_SECRET_KEY);
  const progress = progressOn(process.stderr, 'replay');
  progress.stage(`opening ${config.storage.url.replace(/\/\/[^@/]*@/, '//***@')}`);
  const store = await openStore(config.storage.url, secretKey ? { secretKey, logger } : { logger });
  try {
    await store.migrate();
    progress.stage(`re-queueing ${filter.status} deliveries${filter.destination_id !== undefined ? ` of ${filter.destination_id}` : ''}`);
    const replayed = await store.replay(filter);
    progress.done();
    process.stdout.write(opts.json ? `${JSON.stringify({ replayed })}\n` : `replayed ${replayed} ${filter.status} deliver${replayed === 1 ? 'y' : 'ies'}\n`);
    return 0;
  } finally {
    progress.done();
    await store.close();
  }
}

function storeConfig(opts: ReplayOptions): LoadedConfig {
  const path = resolveConfigPath(opts.config);
  if (path) return loadConfigFile(path);
  // The demo: only its storage location matters here; simulators are not needed to re-queue rows.
  const dataDir = opts.dataDir ?? DEMO_DATA_DIR;
  return demoConfig({ simulatorUrl: 'http://127.0.0.1:1', dataDir }, demoSecrets(dataDir));
}

function optionName(path: string): string {
  const names: Record<string, string> = { status: '--status: ', destination_id: '--destination: ', since: '--since: ' };
  return names[path] ?? (path ? `${path}: ` : '');
}
