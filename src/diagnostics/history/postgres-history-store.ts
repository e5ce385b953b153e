import pg from 'pg';
import { PLATFORM_NAMES, type PlatformName } from '../../event/names.js';
import type { AlertIncident, Annotation, DailySnapshot, Gauge, HistoryRange, HistoryStore } from './types.js';

// History in the outbox's PostgreSQL database (storage.url postgres://…), tables diag_*. Migrations run in one
// transaction under their own advisory lock, recorded in diag_schema_migrations, so several gateway instances
// starting together apply them once and never wait on the outbox's migration lock.

/** Arbitrary constant naming the diagnostics migration lock among the database's advisory locks. */
const MIGRATION_LOCK_KEY = 0x6d6b6467; // "mkdg"

const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE IF NOT EXISTS diag_snapshots (
        day text NOT NULL,
        platform text NOT NULL,
        destination_id text NOT NULL,
        events integer NOT NULL,
        sendable integer NOT NULL,
        readiness double precision,
        coverage jsonb NOT NULL,
        findings jsonb NOT NULL,
        taken_at bigint NOT NULL,
        PRIMARY KEY (day, platform)
      );
      CREATE TABLE IF NOT EXISTS diag_annotations (
        id bigserial PRIMARY KEY,
        day text NOT NULL,
        text text NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE INDEX IF NOT EXISTS diag_annotations_day ON diag_annotations (day);
      CREATE TABLE IF NOT EXISTS diag_gauges (
        day text NOT NULL,
        platform text NOT NULL,
        kind text NOT NULL,
        value double precision NOT NULL,
        recorded_at bigint NOT NULL,
        PRIMARY KEY (day, platform, kind)
      );`,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE IF NOT EXISTS diag_alert_incidents (
        id bigserial PRIMARY KEY,
        rule text NOT NULL,
        subject text NOT NULL,
        message text NOT NULL,
        opened_at bigint NOT NULL,
        resolved_at bigint
      );
      CREATE UNIQUE INDEX IF NOT EXISTS diag_alert_incidents_open ON diag_alert_incidents (rule, subject) WHERE resolved_at IS NULL;`,
  },
  {
    // Gauges gain the destination they were read for (two Meta datasets are two series); earlier rows keep ''
    // (the platform as a whole), which is what a hand-entered reading still is.
    version: 3,
    sql: `
      ALTER TABLE diag_gauges ADD COLUMN destination_id text NOT NULL DEFAULT '';
      ALTER TABLE diag_gauges DROP CONSTRAINT diag_gauges_pkey;
      ALTER TABLE diag_gauges ADD PRIMARY KEY (day, platform, destination_id, kind);`,
  },
  {
    // Which share of the day a snapshot diagnosed ({rate, events_seen, events_diagnosed}); NULL on older rows.
    version: 4,
    sql: `ALTER TABLE diag_snapshots ADD COLUMN IF NOT EXISTS sample jsonb;`,
  },
];

interface IncidentRow {
  id: string;
  rule: string;
  subject: string;
  message: string;
  opened_at: string;
  resolved_at: string | null;
}

const incidentOf = (r: IncidentRow): AlertIncident => ({
  id: Number(r.id),
  rule: r.rule,
  subject: r.subject,
  message: r.message,
  opened_at: Number(r.opened_at),
  resolved_at: r.resolved_at === null ? null : Number(r.resolved_at),
});

function rangeClause(range: HistoryRange, withPlatform: boolean): { where: string; params: string[] } {
  const conditions: [string, string | undefined][] = [
    ['day >= $', range.from],
    ['day <= $', range.to],
    ['platform = $', withPlatform ? range.platform : undefined],
  ];
  const used = conditions.filter((c): c is [string, string] => c[1] !== undefined);
  return {
    where: used.length ? `WHERE ${used.map((c, i) => `${c[0]}${i + 1}`).join(' AND ')}` : '',
    params: used.map((c) => c[1]),
  };
}

const platformOrder = (p: string) => PLATFORM_NAMES.indexOf(p as PlatformName);

export class PostgresHistoryStore implements HistoryStore {
  private readonly pool: pg.Pool;

  constructor(connectionString: string) {
    // History is written a few times an hour and read by the dashboard: two connections are plenty.
    this.pool = new pg.Pool({ connectionString, max: 2 });
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        await client.query('CREATE TABLE IF NOT EXISTS diag_schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)');
        const { rows } = await client.query<{ version: number }>('SELECT version FROM diag_schema_migrations');
        const applied = new Set(rows.map((r) => r.version));
        for (const m of MIGRATIONS) {
          if (applied.has(m.version)) continue;
          await client.query(m.sql);
          await client.query('INSERT INTO diag_schema_migrations (version, applied_at) VALUES ($1, $2)', [m.version, Date.now()]);
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      client.release();
    }
  }

  async putSnapshots(snapshots: DailySnapshot[]): Promise<void> {
    if (snapshots.length === 0) return;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const s of snapshots) {
        await client.query(
          `INSERT INTO diag_snapshots (day, platform, destination_id, events, sendable, readiness, coverage, findings, sample, taken_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (day, platform) DO UPDATE SET destination_id = EXCLUDED.destination_id, events = EXCLUDED.events,
             sendable = EXCLUDED.sendable, readiness = EXCLUDED.readiness, coverage = EXCLUDED.coverage,
             findings = EXCLUDED.findings, sample = EXCLUDED.sample, taken_at = EXCLUDED.taken_at`,
          [
            s.day,
            s.platform,
            s.destination_id,
            s.events,
            s.sendable,
            s.readiness,
            JSON.stringify(s.coverage),
            JSON.stringify(s.findings),
            s.sample ? JSON.stringify(s.sample) : null,
            s.taken_at,
          ],
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async listSnapshots(range: HistoryRange = {}): Promise<DailySnapshot[]> {
    const { where, params } = rangeClause(range, true);
    const { rows } = await this.pool.query(`SELECT * FROM diag_snapshots ${where} ORDER BY day`, params);
    return (rows as Record<string, unknown>[])
      .map((r) => ({
        day: r.day as string,
        platform: r.platform as PlatformName,
        destination_id: r.destination_id as string,
        events: r.events as number,
        sendable: r.sendable as number,
        coverage: r.coverage as DailySnapshot['coverage'],
        readiness: r.readiness as number | null,
        findings: r.findings as DailySnapshot['findings'],
        ...(r.sample === null || r.sample === undefined ? {} : { sample: r.sample as NonNullable<DailySnapshot['sample']> }),
        taken_at: Number(r.taken_at),
      }))
      .sort((a, b) => a.day.localeCompare(b.day) || platformOrder(a.platform) - platformOrder(b.platform));
  }

  async addAnnotation(note: { day: string; text: string; created_at: number }): Promise<Annotation> {
    const { rows } = await this.pool.query<{ id: string }>('INSERT INTO diag_annotations (day, text, created_at) VALUES ($1, $2, $3) RETURNING id', [
      note.day,
      note.text,
      note.created_at,
    ]);
    return { id: Number(rows[0]!.id), ...note };
  }

  async listAnnotations(range: Omit<HistoryRange, 'platform'> = {}): Promise<Annotation[]> {
    const { where, params } = rangeClause(range, false);
    const { rows } = await this.pool.query(`SELECT id, day, text, created_at FROM diag_annotations ${where} ORDER BY day, id`, params);
    return (rows as Record<string, unknown>[]).map((r) => ({ id: Number(r.id), day: r.day as string, text: r.text as string, created_at: Number(r.created_at) }));
  }

  async recordGauge(gauge: Gauge): Promise<void> {
    await this.pool.query(
      `INSERT INTO diag_gauges (day, platform, destination_id, kind, value, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (day, platform, destination_id, kind) DO UPDATE SET value = EXCLUDED.value, recorded_at = EXCLUDED.recorded_at`,
      [gauge.day, gauge.platform, gauge.destination_id ?? '', gauge.kind, gauge.value, gauge.recorded_at],
    );
  }

  async listGauges(range: HistoryRange = {}): Promise<Gauge[]> {
    const { where, params } = rangeClause(range, true);
    const { rows } = await this.pool.query(`SELECT day, platform, destination_id, kind, value, recorded_at FROM diag_gauges ${where} ORDER BY platform, day, destination_id`, params);
    return (rows as Record<string, unknown>[]).map((r) => ({
      day: r.day as string,
      platform: r.platform as Gauge['platform'],
      ...(r.destination_id !== '' ? { destination_id: r.destination_id as string } : {}),
      kind: r.kind as string,
      value: r.value as number,
      recorded_at: Number(r.recorded_at),
    }));
  }

  async openIncident(incident: { rule: string; subject: string; message: string; opened_at: number }): Promise<AlertIncident | null> {
    const { rows } = await this.pool.query<IncidentRow>(
      `INSERT INTO diag_alert_incidents (rule, subject, message, opened_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (rule, subject) WHERE resolved_at IS NULL DO NOTHING RETURNING *`,
      [incident.rule, incident.subject, incident.message, incident.opened_at],
    );
    return rows[0] ? incidentOf(rows[0]) : null;
  }

  async resolveIncident(id: number, at: number): Promise<AlertIncident | null> {
    const { rows } = await this.pool.query<IncidentRow>('UPDATE diag_alert_incidents SET resolved_at = $1 WHERE id = $2 AND resolved_at IS NULL RETURNING *', [at, id]);
    return rows[0] ? incidentOf(rows[0]) : null;
  }

  async listIncidents(query: { open?: boolean; limit?: number } = {}): Promise<AlertIncident[]> {
    const where = query.open ? 'WHERE resolved_at IS NULL' : '';
    const { rows } = await this.pool.query<IncidentRow>(`SELECT * FROM diag_alert_incidents ${where} ORDER BY opened_at DESC, id DESC LIMIT $1`, [query.limit ?? 100]);
    return rows.map(incidentOf);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
