import type { Command } from 'commander';
import { checkDestinations } from '../../check/check.js';
import { loadConfigFile, resolveConfigPath, type LoadedConfig } from '../../config/load.js';
import { configWarnings } from '../../config/warnings.js';
import { ConfigErrors, InputError } from '../../errors.js';

// `matchkey check`: exit 0 all good, 1 a destination failed its credential check, 2 the file is invalid (every
// problem listed, each with its key path).

interface CheckOptions {
  config?: string;
  json?: boolean;
}

export function registerCheck(command: Command): void {
  command
    .option('--config <file>', 'configuration file (else $MATCHKEY_CONFIG, else ./matchkey.config.json)')
    .option('--json', 'one JSON document on stdout')
    .action(async (opts: CheckOptions) => {
      process.exitCode = await check(opts);
    });
}

async function check(opts: CheckOptions): Promise<number> {
  const path = resolveConfigPath(opts.config);
  if (!path) {
    process.stderr.write('matchkey check: no configuration: pass --config FILE or set MATCHKEY_CONFIG\n');
    return 2;
  }
  let config: LoadedConfig;
  try {
    config = loadConfigFile(path);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const problems = err instanceof ConfigErrors ? err.errors.map((e) => ({ path: e.path, message: e.message })) : [{ path: err.path, message: err.message }];
    if (opts.json) process.stdout.write(`${JSON.stringify({ config: path, valid: false, problems }, null, 2)}\n`);
    else process.stderr.write(`matchkey check: ${path} is invalid:\n${problems.map((p) => `  ${p.message}`).join('\n')}\n`);
    return 2;
  }
  const warnings = configWarnings(config);
  const destinations = await checkDestinations(config);
  const failed = destinations.some((d) => !d.ok);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ config: path, valid: true, warnings, destinations }, null, 2)}\n`);
  } else {
    process.stdout.write(`${path}: valid\n`);
    for (const w of warnings) process.stdout.write(`  warning: ${w}\n`);
    for (const d of destinations) process.stdout.write(`${d.ok ? 'ok  ' : 'FAIL'} ${d.id} (${d.platform}): ${d.detail}\n`);
    if (destinations.length === 0) process.stdout.write('no enabled destination to check\n');
  }
  return failed ? 1 : 0;
}
