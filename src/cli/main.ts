import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

// src/cli/main.ts and its compiled dist/cli/main.js sit at the same depth below package.json.
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('matchkey')
  .description('Self-hosted server-side conversion gateway')
  .version(version, '-V, --version', 'print the version')
  .showHelpAfterError()
  .exitOverride();

await registerCommands(program, process.argv);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const e = err as { code?: string; exitCode?: number };
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
  if (typeof e.exitCode === 'number' && e.code?.startsWith('commander.')) process.exit(2);
  throw err;
}
