import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_SIMULATOR_PORT, startSimulators } from '../../simulators/server.js';
import { PLATFORM_NAMES } from '../../event/names.js';

// `matchkey simulate`: the five platform simulators on one port, for trying destinations locally
// (set each destination's base_url to the printed URL). Runs until interrupted.

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number (0-65535)');
  return n;
}

export function registerSimulate(command: Command): void {
  command
    .option('--port <n>', `port to listen on (0 = any free port)`, parsePort, DEFAULT_SIMULATOR_PORT)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .addOption(new Option('--record <mode>', 'keep full request bodies or only counts').choices(['full', 'summary']).default('full'))
    .option('--json', 'print the listening address as JSON')
    .action(async (opts: { port: number; host: string; record: 'full' | 'summary'; json?: boolean }) => {
      let sim: Awaited<ReturnType<typeof startSimulators>>;
      try {
        sim = await startSimulators({ host: opts.host, port: opts.port, record: opts.record });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code !== 'EADDRINUSE') throw err;
        // Like `serve`: one line and exit 2, not a stack trace.
        process.stderr.write(`matchkey simulate: ${e.message} — another process uses that port; pass --port (0 = any free port)\n`);
        process.exit(2);
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ url: sim.url, port: sim.port })}\n`);
      } else {
        process.stdout.write(
          `Platform simulators listening on ${sim.url}\n` +
            `  set "base_url": "${sim.url}" on any destination (${PLATFORM_NAMES.join(', ')})\n` +
            `  recorded requests: ${sim.url}/_sim/requests   fault switches: POST ${sim.url}/_sim/behaviour\n`,
        );
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sim.close();
    });
}
