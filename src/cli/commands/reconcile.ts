import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfigFile, resolveConfigPath } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { PLATFORM_NAMES, type PlatformName } from '../../event/names.js';
import { openStore } from '../../outbox/open.js';
import type { OutboxStore } from '../../outbox/types.js';
import { pullAttributed } from '../../reconcile/attributed/pull.js';
import type { AttributedPullResult } from '../../reconcile/attributed/pulled.js';
import { parseWindowOverride } from '../../reconcile/attributed/windows.js';
import { formatReport } from '../../reconcile/format-table.js';
import {
  detectOrdersFormat,
  PULL_ATTRIBUTED,
  readOrdersText,
  readTextFile,
  reconcile,
  resolveWindow,
  splitAttributedArg,
  type AttributedSource,
} from '../../reconcile/run.js';
import type { AttributionWindow } from '../../reconcile/types.js';
import { progressOn, type Progress } from '../progress.js';

// `matchkey reconcile`: the order of record against what each platform attributed and what the gateway
// delivered (docs/RECONCILE.md). Exit 0 with a report, 2 on bad input (a missing file is named).

interface ReconcileOptions {
  orders?: string;
  attributed: string[];
  platform?: string;
  window: string[];
  from?: string;
  to?: string;
  asOf?: string;
  json?: boolean;
  config?: string;
  store?: string;
}

const DEFAULT_STORAGE_URL = 'sqlite:./data/matchkey.db';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Opening a SQLite store creates its file; reconcile only reads, so a store that is not there is an input error. */
function checkSqliteExists(url: string, path: string): void {
  if (!url.startsWith('sqlite:')) return;
  const file = url.slice('sqlite:'.length).split('?')[0]!.replace(/^\/\/(?=\/)/, '');
  if (file !== ':memory:' && !existsSync(resolve(file))) {
    throw new InputError(path, `no store at ${file} (storage.url ${url})`, 'file_unreadable');
  }
}

async function run(opts: ReconcileOptions, progress: Progress): Promise<void> {
  const window = resolveWindow({ from: opts.from, to: opts.to, as_of: opts.asOf });
  let platform: PlatformName | undefined;
  if (opts.platform !== undefined) {
    const p = opts.platform.toLowerCase();
    if (!(PLATFORM_NAMES as readonly string[]).includes(p)) {
      throw new InputError('--platform', `expected one of ${PLATFORM_NAMES.join(', ')}, got "${opts.platform}"`, 'invalid_platform');
    }
    platform = p as PlatformName;
  }
  const windows: Partial<Record<PlatformName, AttributionWindow>> = {};
  for (const spec of opts.window) {
    const [p, w] = parseWindowOverride(spec);
    windows[p] = w;
  }

  const pull = opts.attributed.some((a) => a.toLowerCase() === PULL_ATTRIBUTED);
  const files = opts.attributed.filter((a) => a.toLowerCase() !== PULL_ATTRIBUTED);
  // Reading the platforms compares with the gateway's own order log unless an export is given.
  const ordersArg = opts.orders ?? (pull ? 'internal' : undefined);
  if (ordersArg === undefined) throw new InputError('--orders', 'required: a Shopify orders export, or "internal" (the gateway\'s order log)', 'missing_option');

  const attributed: AttributedSource[] = [];
  for (const [i, arg] of files.entries()) {
    progress.stage(`reading attributed conversions (${i + 1} of ${files.length})`);
    const { path, platform: filePlatform } = splitAttributedArg(arg);
    attributed.push({ name: path, text: await readTextFile(path), ...(filePlatform ? { platform: filePlatform } : {}) });
  }

  const internal = ordersArg === 'internal';
  let orders: { source: string; orders: Awaited<ReturnType<typeof readOrdersText>> } | 'internal' = 'internal';
  if (!internal) {
    progress.stage(`reading ${ordersArg}`);
    const text = await readTextFile(ordersArg);
    orders = { source: ordersArg, orders: readOrdersText(text, ordersArg, detectOrdersFormat(ordersArg, text)) };
  }

  let store: OutboxStore | undefined;
  let deliveryPlatforms: PlatformName[] | undefined;
  let pulled: AttributedPullResult | undefined;
  if (pull) {
    const configPath = opts.config ?? resolveConfigPath(undefined);
    if (!configPath) throw new InputError('--config', `--attributed ${PULL_ATTRIBUTED} reads the destinations of a configuration: give --config FILE (or MATCHKEY_CONFIG)`, 'file_unreadable');
    const config = loadConfigFile(configPath);
    progress.stage("reading the platforms' reporting APIs");
    pulled = await pullAttributed(config.destinations, { from: window.from, to: window.to, windows });
  }
  if (internal || opts.store || opts.config) {
    let url = opts.store;
    let urlPath = '--store';
    const configPath = opts.config ?? (url ? undefined : resolveConfigPath(undefined));
    if (configPath) {
      const config = loadConfigFile(configPath);
      url ??= config.storage.url;
      if (!opts.store) urlPath = `${configPath}: storage.url`;
      deliveryPlatforms = [...new Set(config.destinations.map((d) => d.platform as PlatformName))];
    }
    if (!url) {
      url = DEFAULT_STORAGE_URL;
      urlPath = 'storage.url (default)';
    }
    checkSqliteExists(url, urlPath);
    store = await openStore(url);
  }

  try {
    progress.stage(internal ? "reading the gateway's order log and deliveries" : 'comparing');
    const report = await reconcile({
      window,
      orders,
      attributed,
      ...(platform ? { platform } : {}),
      windows,
      ...(store ? { store } : {}),
      ...(deliveryPlatforms ? { delivery_platforms: deliveryPlatforms } : {}),
      ...(pulled ? { pulled } : {}),
    });
    progress.done();
    process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    // The report is printed either way; 1 says a platform's figures are missing from it.
    if (pulled && pulled.failed.length > 0) process.exitCode = 1;
  } finally {
    await store?.close();
  }
}

export function registerReconcile(command: Command): void {
  command
    .option('--orders <file|internal>', 'Shopify orders export (.csv), Shopify order objects (.json/.jsonl), or "internal" (the gateway\'s order log; the default with --attributed platforms)')
    .option(
      '--attributed <[platform=]file|platforms>',
      'attributed conversions CSV (repeatable): platform,date,conversions,value[,currency] or an ads-manager export; "platforms" reads them from each configured platform\'s reporting API',
      collect,
      [],
    )
    .option('--platform <name>', 'platform of attributed files that have no platform column and are not recognized')
    .option('--window <platform=spec>', 'attribution window override, e.g. meta=28d_click,1d_view (repeatable); with --attributed platforms, requested from Meta and Pinterest', collect, [])
    .option('--from <date>', 'first day, YYYY-MM-DD (UTC); default: 30 days ending at --to')
    .option('--to <date>', 'last day, YYYY-MM-DD (UTC), inclusive; default: the day before --as-of')
    .option('--as-of <date>', 'the date the attributed numbers were exported, YYYY-MM-DD (UTC); default: today')
    .option('--json', 'print the report as JSON')
    .option('--config <file>', 'configuration file (storage.url, destinations) for the delivery side')
    .option('--store <url>', 'store URL (sqlite:path) for the delivery side, instead of the configuration')
    .action(async (opts: ReconcileOptions) => {
      const progress = progressOn(process.stderr, 'reconcile');
      try {
        await run(opts, progress);
      } catch (err) {
        progress.done();
        if (!(err instanceof InputError)) throw err;
        process.stderr.write(`matchkey reconcile: ${err.message}\n`);
        process.exitCode = 2;
      }
    });
}
