import type { Command } from 'commander';
import { sendAlert, AlertChannelError } from '../../alerts/channels.js';
import { loadConfigFile, resolveConfigPath, type LoadedConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';

// `matchkey alerts test [--config FILE]`: one sample alert to every channel of `alerts.channels`, each reported
// ok or failed by its id and type — never its URL or SMTP credentials. Exit 0 when all arrived, 1 when one
// failed, 2 on a bad or missing configuration or no channel.

export function registerAlerts(command: Command): void {
  command
    .command('test')
    .description('Send a sample alert to every channel in alerts.channels')
    .option('--config <file>', 'configuration file (else $MATCHKEY_CONFIG, else ./matchkey.config.json)')
    .action(async (opts: { config?: string }) => {
      process.exitCode = await alertsTest(opts);
    });
}

async function alertsTest(opts: { config?: string }): Promise<number> {
  const path = resolveConfigPath(opts.config);
  if (!path) {
    process.stderr.write('matchkey alerts test: no configuration: pass --config FILE or set MATCHKEY_CONFIG\n');
    return 2;
  }
  let config: LoadedConfig;
  try {
    config = loadConfigFile(path);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    process.stderr.write(`matchkey alerts test: ${err.message}\n`);
    return 2;
  }
  const channels = config.alerts?.channels ?? [];
  if (channels.length === 0) {
    process.stderr.write(`matchkey alerts test: ${path} has no alerts.channels to send to\n`);
    return 2;
  }
  const sample = {
    status: 'test' as const,
    rule: 'test',
    subject: 'matchkey',
    message: 'a sample alert from `matchkey alerts test`: this channel receives Matchkey alerts',
    opened_at: Date.now(),
  };
  let failed = 0;
  for (const channel of channels) {
    try {
      await sendAlert(channel, sample);
      process.stdout.write(`ok   ${channel.id} (${channel.type})\n`);
    } catch (err) {
      failed++;
      const detail = err instanceof AlertChannelError ? err.message : `alert channel "${channel.id}": sending failed`;
      process.stdout.write(`FAIL ${channel.id} (${channel.type}): ${detail}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
