import type { Command } from 'commander';
import { demoConfig, demoSecrets, DEMO_DATA_DIR } from '../../config/demo.js';
import { loadConfigFile, resolveConfigPath, type LoadedConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { sendTest, type SendTestResult } from '../../server/send-test.js';
import { startSimulators } from '../../simulators/server.js';

// `matchkey send-test --destination ID`: one realistic test purchase through that destination's test mode, sent
// synchronously; prints the platform's answer and which match keys the request carried. Exit 0 accepted,
// 1 refused by the platform, 2 bad usage or configuration.

interface SendTestOptions {
  destination: string;
  config?: string;
  allowLive?: boolean;
  testEventCode?: string;
  json?: boolean;
}

export function registerSendTest(command: Command): void {
  command
    .requiredOption('--destination <id>', 'destination id from the configuration')
    .option('--config <file>', 'configuration file (else $MATCHKEY_CONFIG, else ./matchkey.config.json, else the demo)')
    .option('--test-event-code <code>', "Meta/TikTok: the code shown in Events Manager's Test events tab (instead of the destination's test_event_code)")
    .option('--allow-live', 'send even when the platform has no test mode (Klaviyo)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: SendTestOptions) => {
      process.exit(await run(opts));
    });
}

async function run(opts: SendTestOptions): Promise<number> {
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let config: LoadedConfig;
    const path = resolveConfigPath(opts.config);
    if (path) {
      config = loadConfigFile(path);
    } else {
      const simulators = await startSimulators({ host: '127.0.0.1', port: 0 });
      cleanups.push(() => simulators.close());
      const dataDir = DEMO_DATA_DIR;
      config = demoConfig({ simulatorUrl: simulators.url, dataDir }, demoSecrets(dataDir));
    }
    const result = await sendTest({
      config,
      destinationId: opts.destination,
      allowLive: opts.allowLive === true,
      ...(opts.testEventCode !== undefined ? { testEventCode: opts.testEventCode } : {}),
    });
    process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : describe(result));
    return result.result.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`matchkey send-test: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`matchkey send-test: the request failed: ${(err as Error).message}\n`);
    return 1;
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

function describe(r: SendTestResult): string {
  const lines = [
    `destination ${r.destination_id} (${r.platform})${r.test_mode ? ', test mode' : ', LIVE (no test mode)'}`,
    `POST ${r.url}`,
    `keys carried: ${r.keys.length > 0 ? r.keys.join(', ') : '(none)'}`,
  ];
  if (r.skipped) lines.push(`note: the gateway would not send this event here in normal operation: ${r.skipped}`);
  lines.push(`answer: HTTP ${r.status} ${typeof r.answer === 'string' ? r.answer || '(empty body)' : JSON.stringify(r.answer)}`);
  lines.push(r.result.ok ? 'result: accepted' : `result: refused (${r.result.error.kind} ${r.result.error.code}): ${r.result.error.message}`);
  return `${lines.join('\n')}\n`;
}
