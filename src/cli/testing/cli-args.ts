import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

/**
 * The command line as the tests run it: `node --import tsx src/cli/main.ts …`, the current sources. Tests never
 * spawn bin/matchkey.js, whose dist/ could be stale (compiled before the last edit); the compiled build itself is
 * exercised by test/deploy/install.test.ts, which builds a fresh copy.
 */
export const CLI_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** tsx's loader by absolute URL, so a child whose working directory is elsewhere (a scratch dir) still finds it. */
const TSX_LOADER = new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;

export function cliArgs(args: readonly string[]): string[] {
  return ['--import', TSX_LOADER, CLI_MAIN, ...args];
}

/** Runs the CLI as a real process; a non-zero exit is returned as `code`, not thrown. */
export async function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = promisify(execFile);
  try {
    const { stdout, stderr } = await run(process.execPath, cliArgs(args), { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
