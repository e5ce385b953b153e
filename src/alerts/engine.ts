import type { DestinationHealth } from '../delivery/worker.js';
import type { AlertIncident, HistoryStore, IncidentStore } from '../diagnostics/history/types.js';
import type { PlatformName } from '../event/names.js';
import type { Logger } from '../logging/logger.js';
import type { OutboxStore } from '../outbox/types.js';
import { sendToAll, type AlertMessage } from './channels.js';
import type { AlertsConfig } from './config.js';
import { conditionKey, evaluateRules } from './conditions.js';

// Evaluates the rules on a schedule inside the gateway and turns conditions into incidents: a condition with no
// open incident opens one and sends it (once — the store's open-incident index decides, so a restart or a second
// instance does not send it again); an open incident whose condition cleared is resolved and its resolution sent.

export interface AlertEngineOptions {
  config: AlertsConfig;
  store: OutboxStore;
  incidents: IncidentStore;
  /** The dated platform scores `quality_drop` reads (the history store). */
  gauges?: Pick<HistoryStore, 'listGauges'>;
  health: () => readonly DestinationHealth[];
  destinations: readonly { id: string; platform: PlatformName }[];
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => number;
}

export interface AlertEngine {
  /** One evaluation; concurrent calls share the running one. */
  tick(): Promise<void>;
  /** Stops the schedule; resolves when an evaluation under way has finished. */
  stop(): Promise<void>;
}

const messageOf = (i: AlertIncident, status: 'firing' | 'resolved'): AlertMessage => ({
  status,
  rule: i.rule,
  subject: i.subject,
  message: i.message,
  opened_at: i.opened_at,
  incident_id: i.id,
  ...(i.resolved_at !== null ? { resolved_at: i.resolved_at } : {}),
});

export function startAlertEngine(opts: AlertEngineOptions): AlertEngine {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  let running: Promise<void> | undefined;
  let stopped = false;

  const notify = async (m: AlertMessage): Promise<void> => {
    const failures = await sendToAll(opts.config.channels, m);
    for (const f of failures) opts.logger.warn({ channel: f.channelId, rule: m.rule, subject: m.subject }, `alerts: ${f.message}`);
  };

  const evaluate = async (): Promise<void> => {
    const at = now();
    const { firing, undecided } = await evaluateRules({
      rules: opts.config.rules,
      store: opts.store,
      health: opts.health,
      destinations: opts.destinations,
      now: at,
      startedAt,
      ...(opts.gauges ? { gauges: opts.gauges } : {}),
    });
    const open = await opts.incidents.listIncidents({ open: true, limit: 10_000 });
    const openKeys = new Set(open.map((i) => conditionKey(i.rule, i.subject)));
    const firingKeys = new Set(firing.map((c) => conditionKey(c.rule, c.subject)));
    for (const c of firing) {
      if (stopped || openKeys.has(conditionKey(c.rule, c.subject))) continue;
      const opened = await opts.incidents.openIncident({ ...c, opened_at: at });
      if (!opened) continue;
      opts.logger.warn({ rule: c.rule, subject: c.subject, incident: opened.id }, `alert: ${c.message}`);
      await notify(messageOf(opened, 'firing'));
    }
    for (const i of open) {
      const key = conditionKey(i.rule, i.subject);
      if (stopped || firingKeys.has(key) || undecided.has(key)) continue;
      const resolved = await opts.incidents.resolveIncident(i.id, at);
      if (!resolved) continue;
      opts.logger.info({ rule: i.rule, subject: i.subject, incident: i.id }, `alert resolved: ${i.rule} (${i.subject})`);
      await notify(messageOf(resolved, 'resolved'));
    }
  };

  const tick = (): Promise<void> =>
    (running ??= evaluate()
      .catch((err: unknown) => opts.logger.warn({ err }, 'alerts: evaluation failed'))
      .finally(() => {
        running = undefined;
      }));

  const timer = setInterval(() => void tick(), opts.config.interval_s * 1000);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
