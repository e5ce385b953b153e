import type { Command } from 'commander';

// Each command's module (and what it imports: Fastify, SQLite, the platforms…) is loaded only when that command
// runs, so `matchkey --help` and `--version` start in a fraction of the time.

interface CommandEntry {
  name: string;
  description: string;
  register: () => Promise<(command: Command) => void>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'serve', description: 'Run the gateway with a configuration file (--demo: every platform pointed at built-in simulators)', register: async () => (await import('./serve.js')).registerServe },
  { name: 'preview', description: 'Show the exact requests one platform would receive for the given events (nothing is sent)', register: async () => (await import('./preview.js')).registerPreview },
  { name: 'audit', description: 'Audit match-key coverage and problems of canonical events or Shopify orders, offline', register: async () => (await import('./audit.js')).registerAudit },
  { name: 'annotate', description: 'Add a note to the diagnostics history (e.g. "sent external_id")', register: async () => (await import('./annotate.js')).registerAnnotate },
  { name: 'gauge', description: "Record a platform's own match score for a day (Meta EMQ, TikTok match indicator, Pinterest enhanced match)", register: async () => (await import('./gauge.js')).registerGauge },
  { name: 'quality', description: "quality pull: read Meta's and Pinterest's own quality scores into the diagnostics history", register: async () => (await import('./quality.js')).registerQuality },
  { name: 'reconcile', description: "Compare the shop's orders of record with what each ad platform attributed and what the gateway delivered", register: async () => (await import('./reconcile.js')).registerReconcile },
  { name: 'replay', description: 'Re-queue dead or rejected deliveries (same event_id, so platforms still deduplicate)', register: async () => (await import('./replay.js')).registerReplay },
  { name: 'simulate', description: 'Run local stand-ins for the Meta, TikTok, Pinterest, Google Ads and Klaviyo APIs on one port', register: async () => (await import('./simulate.js')).registerSimulate },
  { name: 'check', description: "Validate a configuration file, then check each destination's credentials with a read-only call to its platform", register: async () => (await import('./check.js')).registerCheck },
  { name: 'alerts', description: 'Alerts: `alerts test` sends a sample alert to every configured channel', register: async () => (await import('./alerts.js')).registerAlerts },
  { name: 'send-test', description: "Send one test purchase through a destination's test mode and show the platform's answer", register: async () => (await import('./send-test.js')).registerSendTest },
];

/** Every command is listed (for help); only the one on the command line gets its options and action. */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  const invoked = words[0] === 'help' ? words[1] : words[0];
  for (const entry of COMMANDS) {
    const command = program.command(entry.name).description(entry.description);
    if (entry.name === invoked) (await entry.register())(command);
  }
}
