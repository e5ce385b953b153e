import type { Command } from 'commander';
import { configSchema } from '../../config/schema.js';
import { loadConfigFile, resolveConfigPath, type LoadedConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { openHistoryStore } from '../../diagnostics/history/open.js';
import { pullQuality, type QualityPullResult } from '../../diagnostics/quality/pull.js';
import { openStore } from '../../outbox/open.js';
import type { OutboxStore } from '../../outbox/types.js';

// `matchkey quality pull [--config F] [--json]`: reads Meta's Dataset Quality API, Pinterest's event quality
// score and Google's upload diagnostics (Google Ads API summary, or the requestStatus answers recorded in the
// outbox on the Data Manager path) for every configured destination of those platforms and stores today's readings
// as gauges (what the gateway also does once a day). Exit 0; 1 when a platform could not be read; 2 on a bad configuration.

function summary(result: QualityPullResult): string {
  const lines = [`quality pull ${result.day}`];
  for (const q of result.pulled) {
    if (q.uploads) {
      const u = q.uploads;
      const source = u.source === 'google_ads_upload_summary' ? 'Google Ads upload summary' : 'Data Manager requestStatus, last 24 h';
      lines.push(`  ${q.platform} ${q.destination_id}: upload success ${u.success_rate ?? '–'}% (${u.successful} of ${u.total}; ${source}), accepted by Google's upload answer ${u.accepted_rate ?? '–'}%`);
      for (const e of u.errors) lines.push(`    ${e.code}: ${e.share}% of uploads`);
      continue;
    }
    const keys = Object.values(q.events).reduce((n, k) => n + Object.keys(k).length, 0);
    lines.push(`  ${q.platform} ${q.destination_id}: score ${q.score ?? '–'}, ${Object.keys(q.events).length} events, ${keys} key readings, ${q.diagnostics.length} platform diagnostics`);
    for (const d of q.diagnostics) lines.push(`    ${d.event}: ${d.name}${d.solution ? ` (${d.solution})` : ''}`);
  }
  for (const f of result.failed) lines.push(`  ${f.platform} ${f.destination_id}: FAILED ${f.error}`);
  for (const u of result.unsupported) lines.push(`  ${u.platform} ${u.destination_id}: ${u.note}`);
  if (result.pulled.length + result.failed.length === 0) lines.push('  no Meta, Pinterest or Google destination is configured');
  return `${lines.join('\n')}\n`;
}

export function registerQuality(command: Command): void {
  command
    .command('pull')
    .description("Pull Meta's and Pinterest's own quality scores and Google's upload diagnostics, and store them beside Matchkey's coverage")
    .option('--config <file>', 'configuration with the destinations and storage.url (default: MATCHKEY_CONFIG, ./matchkey.config.json)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { config?: string; json?: boolean }) => {
      let config: Pick<LoadedConfig, 'destinations' | 'storage'>;
      try {
        const path = resolveConfigPath(options.config);
        config = path === null ? { destinations: [], storage: configSchema.parse({}).storage } : loadConfigFile(path);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        process.stderr.write(`matchkey quality pull: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      const history = await openHistoryStore(config.storage.url);
      // Google's Data Manager figures are the outbox's requestStatus outcomes: opened only when a Google destination is.
      let outbox: OutboxStore | undefined;
      try {
        if (config.destinations.some((d) => d.platform === 'google')) outbox = await openStore(config.storage.url);
        const result = await pullQuality(config.destinations, history, Date.now(), fetch, outbox);
        process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : summary(result));
        if (result.failed.length > 0) process.exitCode = 1;
      } finally {
        await outbox?.close();
        await history.close();
      }
    });
}
