import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfigFile } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { toUnixSeconds } from '../../event/schema.js';
import type { IdentityOptions } from '../../identity/types.js';
import type { CommonSettings } from '../../platforms/types.js';
import { auditText } from '../../diagnostics/audit.js';
import { hasErrors } from '../../diagnostics/diagnose.js';
import { formatReportTable } from '../../diagnostics/format-table.js';
import { progressOn } from '../progress.js';

// `matchkey audit [--json] [--config FILE] [--now TIME] FILE`: which match keys the events in FILE would carry to
// each platform, what is wrong with them and how to fix it. Offline: no server, no database.
// Exit 0: no error-severity finding · 1: at least one · 2: bad input or usage.

interface AuditCliOptions {
  json?: boolean;
  config?: string;
  now?: string;
}

function runAudit(file: string, options: AuditCliOptions): number {
  let destinations: readonly CommonSettings[] | undefined;
  const identity: IdentityOptions = {};
  if (options.config) {
    let config;
    try {
      config = loadConfigFile(options.config);
    } catch (err) {
      if (err instanceof InputError && !err.message.includes(options.config)) err.message = `${options.config}: ${err.message}`;
      throw err;
    }
    destinations = config.destinations;
    identity.serverIps = config.server_ips;
    if (config.default_country) identity.defaultCountry = config.default_country;
  }
  let nowSec = Math.floor(Date.now() / 1000);
  if (options.now !== undefined) {
    const parsed = toUnixSeconds(options.now);
    if (parsed === undefined) throw new InputError('--now', 'expected unix seconds or ISO-8601');
    nowSec = parsed;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError('', `${file}: cannot read the file`, 'input_unreadable');
  }
  const progress = progressOn(process.stderr, 'audit');
  progress.stage(`auditing ${file}`);
  let report;
  try {
    report = auditText(text, file, { identity, nowSec, onProgress: (done, total) => progress.count(done, total), ...(destinations ? { destinations } : {}) });
  } finally {
    progress.done();
  }
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReportTable(report));
  return hasErrors(report) ? 1 : 0;
}

export function registerAudit(command: Command): void {
  command
    .argument('<file>', 'canonical events or Shopify orders: one JSON object, a JSON array, or JSONL')
    .option('--json', 'print the report as JSON')
    .option('--config <file>', 'measure against the destinations of this configuration (default: every platform, placeholder settings)')
    .option('--now <time>', 'when the events count as received, for age checks (unix seconds or ISO-8601; default: now)')
    .addHelpText(
      'after',
      '\nReadiness is "Matchkey readiness (our estimate, not Meta\'s Event Match Quality)"; see docs/DIAGNOSTICS.md.\n' +
        'Exit code 0: no error-severity finding; 1: at least one; 2: bad input (the message names the file, the\n' +
        'event index or JSONL line, and the field).',
    )
    .action((file: string, options: AuditCliOptions) => {
      try {
        process.exitCode = runAudit(file, options);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        const where = err.message.startsWith(file) || (options.config && err.message.includes(options.config)) ? '' : `${file}: `;
        process.stderr.write(`matchkey audit: ${where}${err.message}\n`);
        process.exitCode = 2;
      }
    });
}
