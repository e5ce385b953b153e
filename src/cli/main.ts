import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

const program = new Command('matchkey')
  .description('Self-hosted server-side conversion gateway')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const e = err as { code?: string; exitCode?: number };
  if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
  if (typeof e.exitCode === 'number' && e.code?.startsWith('commander.')) process.exit(2);
  throw err;
}
