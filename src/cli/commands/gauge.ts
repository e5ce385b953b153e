import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { openHistoryForCli } from '../../diagnostics/history/open-from-config.js';
import { recordGauge } from '../../diagnostics/history/record.js';
import { GAUGE_KINDS } from '../../diagnostics/history/types.js';

// `matchkey gauge --platform meta --value 6.8 [--date D]`: records the score a platform reports about its own
// matching (Meta Event Match Quality, TikTok match indicator, Pinterest enhanced-match coverage), read from the
// platform's UI. Each is kept and shown only against its own history: never compared with another platform's,
// nor with Matchkey readiness. Exit 0, or 2 on bad input.

const FLAG_FOR_FIELD: Record<string, string> = { platform: '--platform', value: '--value', date: '--date', destination_id: '--destination' };

export function registerGauge(command: Command): void {
  command
    .requiredOption('--platform <name>', Object.keys(GAUGE_KINDS).join(' | '))
    .requiredOption('--value <number>', 'the figure as the platform shows it (Meta 0–10, TikTok and Pinterest 0–100)')
    .option('--date <YYYY-MM-DD>', 'the day it was read (default: today, UTC)')
    .option('--destination <id>', 'the destination it was read for, when the platform has several (default: the platform as a whole)')
    .option('--config <file>', 'configuration whose storage.url holds the history (default: MATCHKEY_CONFIG, ./matchkey.config.json)')
    .option('--json', 'print the stored reading as JSON')
    .action(async (options: { platform: string; value: string; date?: string; destination?: string; config?: string; json?: boolean }) => {
      try {
        const { history } = await openHistoryForCli(options.config);
        try {
          const body = {
            platform: options.platform,
            value: options.value,
            ...(options.date !== undefined ? { date: options.date } : {}),
            ...(options.destination !== undefined ? { destination_id: options.destination } : {}),
          };
          const gauge = await recordGauge(history, body, Date.now());
          const of = gauge.destination_id !== undefined ? ` (${gauge.destination_id})` : '';
          process.stdout.write(options.json ? `${JSON.stringify(gauge)}\n` : `recorded ${gauge.platform}${of} ${gauge.kind} ${gauge.value} for ${gauge.day}\n`);
        } finally {
          await history.close();
        }
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        const flag = FLAG_FOR_FIELD[err.path];
        process.stderr.write(`matchkey gauge: ${flag ? err.message.replace(`${err.path}: `, `${flag}: `) : err.message}\n`);
        process.exitCode = 2;
      }
    });
}
