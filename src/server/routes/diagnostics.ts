import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { LoadedConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { PLATFORM_NAMES, type PlatformName } from '../../event/names.js';
import { toUnixSeconds } from '../../event/schema.js';
import type { OutboxStore } from '../../outbox/types.js';
import { parseDay, utcDay } from '../../diagnostics/history/days.js';
import { recordAnnotation, recordGauge } from '../../diagnostics/history/record.js';
import { GAUGE_KINDS, type GaugePlatform, type HistoryStore } from '../../diagnostics/history/types.js';
import { FINDING_CATALOG } from '../../diagnostics/finding-catalog.js';
import { compareQuality } from '../../diagnostics/quality/compare.js';
import type { Diagnoser } from '../../diagnostics/diagnose-in-thread.js';
import { diagnoseStored } from '../../diagnostics/stored-events.js';
import { READINESS_LABEL } from '../../diagnostics/types.js';
import { bearerToken, tokenMatcher } from '../auth.js';
import { replyError } from '../http-error.js';

// The diagnostics face of the admin API (admin token): diagnostics and dedup pairing over stored events, the
// daily history with annotations and the platforms' own gauges, and the two ways to add to that history.

export interface DiagnosticsRouteOptions {
  store: Pick<OutboxStore, 'scanEvents' | 'countEvents'>;
  historyStore: HistoryStore;
  adminToken: string | undefined;
  config: Pick<LoadedConfig, 'destinations'>;
  /** Unix ms; injectable for tests. */
  clock?: () => number;
  /** How a window is diagnosed; default diagnoseStored on this thread (the gateway passes its thread diagnoser). */
  diagnose?: Diagnoser;
}

const DAY_MS = 86_400_000;
const DEFAULT_WINDOW_MS = 7 * DAY_MS;
const DEFAULT_HISTORY_DAYS = 90;

type Query = Record<string, string | undefined>;

function instant(raw: string | undefined, path: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const seconds = toUnixSeconds(raw);
  if (seconds === undefined) throw new InputError(path, 'expected an ISO-8601 date or time, or unix seconds');
  return seconds * 1000;
}

/** [from, to) in unix ms; default the last 7 days. */
function timeRange(query: Query, nowMs: number): { from: number; to: number } {
  const to = instant(query.to, 'to') ?? nowMs;
  const from = instant(query.from, 'from') ?? to - DEFAULT_WINDOW_MS;
  if (from >= to) throw new InputError('from', 'must be before to');
  return { from, to };
}

function platformFilter(query: Query): PlatformName | undefined {
  const p = query.platform;
  if (p === undefined || p === '') return undefined;
  if (!(PLATFORM_NAMES as readonly string[]).includes(p)) throw new InputError('platform', `expected one of ${PLATFORM_NAMES.join(', ')}`);
  return p as PlatformName;
}

function onlyPlatform<T>(record: Partial<Record<PlatformName, T>>, platform: PlatformName | undefined): Partial<Record<PlatformName, T>> {
  if (!platform) return record;
  const value = record[platform];
  return value === undefined ? {} : { [platform]: value };
}

function badRequest(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof InputError) return replyError(reply, 400, err.code, err.message, err.path);
  throw err;
}

export const diagnosticsRoutes: FastifyPluginAsync<DiagnosticsRouteOptions> = async (app, opts) => {
  const clock = opts.clock ?? Date.now;
  const diagnose: Diagnoser = opts.diagnose ?? ((range, nowMs) => diagnoseStored(opts.store, range, opts.config, nowMs));
  const isAdmin = tokenMatcher(opts.adminToken ? [opts.adminToken] : []);
  // Per route rather than a plugin hook, so the guard stays on these routes however the plugin is registered.
  const adminOnly = {
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      if (!isAdmin(bearerToken(request.headers.authorization))) {
        return replyError(reply, 401, 'unauthorized', opts.adminToken ? 'expected Authorization: Bearer <admin token>' : 'no admin_token is configured');
      }
    },
  };

  app.get('/api/diagnostics', adminOnly, async (request, reply) => {
    try {
      const query = request.query as Query;
      const platform = platformFilter(query);
      const range = timeRange(query, clock());
      const { dedup: _dedup, ...report } = await diagnose(range, clock());
      return reply.send({
        range,
        ...report,
        platforms: onlyPlatform(report.platforms, platform),
        warnings: platform ? report.warnings.filter((w) => w.platforms.includes(platform)) : report.warnings,
      });
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  app.get('/api/dedup', adminOnly, async (request, reply) => {
    try {
      const query = request.query as Query;
      const platform = platformFilter(query);
      const range = timeRange(query, clock());
      const { dedup, events } = await diagnose(range, clock());
      return reply.send({ range, events, platforms: onlyPlatform(dedup.platforms, platform) });
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  app.get('/api/diagnostics/history', adminOnly, async (request, reply) => {
    try {
      const query = request.query as Query;
      const platform = platformFilter(query);
      const to = query.to ? parseDay(query.to, 'to') : utcDay(clock());
      const from = query.from ? parseDay(query.from, 'from') : utcDay(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_HISTORY_DAYS - 1) * DAY_MS);
      const range = { from, to, ...(platform ? { platform } : {}) };
      const [snapshots, annotations, readings] = await Promise.all([
        opts.historyStore.listSnapshots(range),
        opts.historyStore.listAnnotations({ from, to }),
        opts.historyStore.listGauges(range),
      ]);
      // One series per platform gauge, each with its own label and scale: never merged, never compared.
      // Keyed by platform, or `platform:destination` for a reading tied to one destination (a second Meta dataset).
      const gauges: Record<string, { platform: GaugePlatform; destination_id?: string; kind: string; label: string; points: { day: string; value: number }[] }> = {};
      for (const g of readings) {
        // Pulled per-key coverage readings (src/diagnostics/quality) share the table; they are served by /api/quality.
        if (g.platform === 'google' || g.kind !== GAUGE_KINDS[g.platform].kind) continue;
        const id = g.destination_id === undefined ? g.platform : `${g.platform}:${g.destination_id}`;
        const label = g.destination_id === undefined ? GAUGE_KINDS[g.platform].label : `${GAUGE_KINDS[g.platform].label}, destination ${g.destination_id}`;
        const series = (gauges[id] ??= { platform: g.platform, ...(g.destination_id !== undefined ? { destination_id: g.destination_id } : {}), kind: g.kind, label, points: [] });
        series.points.push({ day: g.day, value: g.value });
      }
      return reply.send({ from, to, readiness_label: READINESS_LABEL, snapshots, annotations, gauges });
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  // "Ours vs the platform's": the latest pulled platform readings (matchkey quality pull, or the gateway's daily
  // pull) beside our coverage of the same event and key over the last 7 days, and a finding where they disagree.
  app.get('/api/quality', adminOnly, async (_request, reply) => {
    const nowMs = clock();
    const range = { from: nowMs - DEFAULT_WINDOW_MS, to: nowMs };
    const [readings, report] = await Promise.all([
      opts.historyStore.listGauges({ from: utcDay(nowMs - DEFAULT_HISTORY_DAYS * DAY_MS) }),
      diagnose(range, nowMs),
    ]);
    const comparison = compareQuality(readings, report.platforms);
    const { severity, message, fix } = FINDING_CATALOG.PLATFORM_COVERAGE_BELOW_SENT;
    const findings = comparison.keys
      .filter((k) => k.disagrees)
      .map((k) => ({
        code: 'PLATFORM_COVERAGE_BELOW_SENT', severity, message, fix, platform: k.platform,
        ...(k.destination_id !== undefined ? { destination_id: k.destination_id } : {}),
        event: k.event, key: k.key, ours: k.ours, theirs: k.theirs,
      }));
    const uploads = FINDING_CATALOG.PLATFORM_UPLOADS_BELOW_SENT;
    const uploadFindings = comparison.uploads
      .filter((u) => u.disagrees)
      .map((u) => ({
        code: 'PLATFORM_UPLOADS_BELOW_SENT', severity: uploads.severity, message: uploads.message, fix: uploads.fix, platform: u.platform,
        ...(u.destination_id !== undefined ? { destination_id: u.destination_id } : {}),
        ours: u.ours, theirs: u.theirs, errors: u.errors,
      }));
    return reply.send({ range, ...comparison, findings: [...findings, ...uploadFindings] });
  });

  app.post('/api/annotations', adminOnly, async (request, reply) => {
    try {
      return reply.code(201).send(await recordAnnotation(opts.historyStore, request.body, clock()));
    } catch (err) {
      return badRequest(reply, err);
    }
  });

  app.post('/api/gauges', adminOnly, async (request, reply) => {
    try {
      return reply.code(201).send(await recordGauge(opts.historyStore, request.body, clock()));
    } catch (err) {
      return badRequest(reply, err);
    }
  });
};
