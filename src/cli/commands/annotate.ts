import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { openHistoryForCli } from '../../diagnostics/history/open-from-config.js';
import { recordAnnotation } from '../../diagnostics/history/record.js';

// `matchkey annotate "sent external_id" [--date D] [--config FILE]`: a note on the diagnostics history, drawn on
// every line so an operator sees a key rollout move its line. Exit 0, or 2 on bad input.

const FLAG_FOR_FIELD: Record<string, string> = { text: 'TEXT', date: '--date' };

export function registerAnnotate(command: Command): void {
  command
    .argument('<text>', 'the note (at most 500 characters)')
    .option('--date <YYYY-MM-DD>', 'the day it applies to (default: today, UTC)')
    .option('--config <file>', 'configuration whose storage.url holds the history (default: MATCHKEY_CONFIG, ./matchkey.config.json)')
    .option('--json', 'print the stored annotation as JSON')
    .action(async (text: string, options: { date?: string; config?: string; json?: boolean }) => {
      try {
        const { history } = await openHistoryForCli(options.config);
        try {
          const note = await recordAnnotation(history, { text, ...(options.date !== undefined ? { date: options.date } : {}) }, Date.now());
          process.stdout.write(options.json ? `${JSON.stringify(note)}\n` : `annotated ${note.day}: ${note.text}\n`);
        } finally {
          await history.close();
        }
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        const flag = FLAG_FOR_FIELD[err.path];
        process.stderr.write(`matchkey annotate: ${flag ? err.message.replace(`${err.path}: `, `${flag}: `) : err.message}\n`);
        process.exitCode = 2;
      }
    });
}
