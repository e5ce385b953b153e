import Database from 'better-sqlite3';
import { makePrivate } from '../../outbox/sqlite/private-file.js';
import { PLATFORM_NAMES, type PlatformName } from '../../event/names.js';
import type { AlertIncident, Annotation, DailySnapshot, Gauge, HistoryRange, HistoryStore } from './types.js';

// History in the outbox's own SQLite file (storage.url), in tables of its own. WAL lets this second connection
// read and write beside the gateway's; busy_timeout absorbs the short write locks. Migrations are numbered and
// recorded in diag_schema_migrations, separate from the outbox's schema_migrations, so neither side's upgrades
// depend on the other's.
const MIGRATIONS: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE IF NOT EXISTS diag_snapshots (
        day TEXT NOT NULL,
        platform TEXT NOT NULL,
        destination_id TEXT NOT NULL,
        events INTEGER NOT NULL,
        sendable INTEGER NOT NULL,
        readiness REAL,
        coverage TEXT NOT NULL,
        findings TEXT NOT NULL,
        taken_at INTEGER NOT NULL,
        PRIMARY KEY (day, platform)
      );
      CREATE TABLE IF NOT EXISTS diag_annotations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        day TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS diag_annotations_day ON diag_annotations (day);
      CREATE TABLE IF NOT EXISTS diag_gauges (
        day TEXT NOT NULL,
        platform TEXT NOT NULL,
        kind TEXT NOT NULL,
        value REAL NOT NULL,
        recorded_at INTEGER NOT NULL,
        PRIMARY KEY (day, platform, kind)
      );`,
  },
  {
    version: 2,
    sql: `
      CREATE TABLE IF NOT EXISTS diag_alert_incidents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        rule TEXT NOT NULL,
        subject TEXT NOT NULL,
        message TEXT NOT NULL,
        opened_at INTEGER NOT NULL,
        resolved_at INTEGER
      );
      CREATE UNIQUE INDEX IF NOT EXISTS diag_alert_incidents_open ON diag_alert_incidents (rule, subject) WHERE resolved_at IS NULL;`,
  },
  {
    // Gauges gain the destination they were read for: two destinations of one platform (two Meta datasets) are two
    // series. SQLite cannot change a primary key in place, so the table is rebuilt; earlier rows keep '' (the
    // platform as a whole), which is what a hand-entered reading still is.
    version: 3,
    sql: `
      CREATE TABLE diag_gauges_v3 (
        day TEXT NOT NULL,
        platform TEXT NOT NULL,
        destination_id TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL,
        value REAL NOT NULL,
        recorded_at INTEGER NOT NULL,
        PRIMARY KEY (day, platform, destination_id, kind)
      );
      INSERT INTO diag_gauges_v3 (day, platform, kind, value, recorded_at) SELECT day, platform, kind, value, recorded_at FROM diag_gauges;
      DROP TABLE diag_gauges;
      ALTER TABLE diag_gauges_v3 RENAME TO diag_gauges;`,
  },
  {
    // Which share of the day a snapshot diagnosed (JSON {rate, events_seen, events_diagnosed}); NULL on older rows.
    version: 4,
    sql: `ALTER TABLE diag_snapshots ADD COLUMN sample TEXT;`,
  },
];

interface SnapshotRow {
  day: string;
  platform: string;
  destination_id: string;
  events: number;
  sendable: number;
  readiness: number | null;
  coverage: string;
  findings: string;
  sample: string | null;
  taken_at: number;
}

interface GaugeRow {
  day: string;
  platform: string;
  destination_id: string;
  kind: string;
  value: number;
  recorded_at: number;
}

const gaugeOf = (r: GaugeRow): Gauge => ({
  day: r.day,
  platform: r.platform as Gauge['platform'],
  ...(r.destination_id !== '' ? { destination_id: r.destination_id } : {}),
  kind: r.kind,
  value: r.value,
  recorded_at: Number(r.recorded_at),
});

const platformOrder = (p: string) => PLATFORM_NAMES.indexOf(p as PlatformName);

function rangeClause(range: HistoryRange, withPlatform: boolean): { where: string; params: string[] } {
  const conditions: [string, string | undefined][] = [
    ['day >= ?', range.from],
    ['day <= ?', range.to],
    ['platform = ?', withPlatform ? range.platform : undefined],
  ];
  const used = conditions.filter((c): c is [string, string] => c[1] !== undefined);
  return { where: used.length ? `WHERE ${used.map((c) => c[0]).join(' AND ')}` : '', params: used.map((c) => c[1]) };
}

export class SqliteHistoryStore implements HistoryStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    makePrivate(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS diag_schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const applied = new Set((this.db.prepare('SELECT version FROM diag_schema_migrations').all() as { version: number }[]).map((r) => r.version));
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      this.db
        .transaction(() => {
          this.db.exec(m.sql);
          this.db.prepare('INSERT OR IGNORE INTO diag_schema_migrations (version, applied_at) VALUES (?, ?)').run(m.version, Date.now());
        })
        .immediate();
    }
  }

  async putSnapshots(snapshots: DailySnapshot[]): Promise<void> {
    const put = this.db.prepare(
      `INSERT OR REPLACE INTO diag_snapshots (day, platform, destination_id, events, sendable, readiness, coverage, findings, sample, taken_at)
       VALUES (@day, @platform, @destination_id, @events, @sendable, @readiness, @coverage, @findings, @sample, @taken_at)`,
    );
    this.db.transaction(() => {
      for (const s of snapshots) put.run({ ...s, coverage: JSON.stringify(s.coverage), findings: JSON.stringify(s.findings), sample: s.sample ? JSON.stringify(s.sample) : null });
    })();
  }

  async listSnapshots(range: HistoryRange = {}): Promise<DailySnapshot[]> {
    const { where, params } = rangeClause(range, true);
    const rows = this.db.prepare(`SELECT * FROM diag_snapshots ${where} ORDER BY day`).all(...params) as SnapshotRow[];
    return rows
      .sort((a, b) => a.day.localeCompare(b.day) || platformOrder(a.platform) - platformOrder(b.platform))
      .map((r) => ({
        day: r.day,
        platform: r.platform as PlatformName,
        destination_id: r.destination_id,
        events: r.events,
        sendable: r.sendable,
        coverage: JSON.parse(r.coverage) as DailySnapshot['coverage'],
        readiness: r.readiness,
        findings: JSON.parse(r.findings) as DailySnapshot['findings'],
        ...(r.sample === null ? {} : { sample: JSON.parse(r.sample) as NonNullable<DailySnapshot['sample']> }),
        taken_at: r.taken_at,
      }));
  }

  async addAnnotation(note: { day: string; text: string; created_at: number }): Promise<Annotation> {
    const info = this.db.prepare('INSERT INTO diag_annotations (day, text, created_at) VALUES (?, ?, ?)').run(note.day, note.text, note.created_at);
    return { id: Number(info.lastInsertRowid), ...note };
  }

  async listAnnotations(range: Omit<HistoryRange, 'platform'> = {}): Promise<Annotation[]> {
    const { where, params } = rangeClause(range, false);
    return this.db.prepare(`SELECT id, day, text, created_at FROM diag_annotations ${where} ORDER BY day, id`).all(...params) as Annotation[];
  }

  async recordGauge(gauge: Gauge): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO diag_gauges (day, platform, destination_id, kind, value, recorded_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(gauge.day, gauge.platform, gauge.destination_id ?? '', gauge.kind, gauge.value, gauge.recorded_at);
  }

  async listGauges(range: HistoryRange = {}): Promise<Gauge[]> {
    const { where, params } = rangeClause(range, true);
    const rows = this.db.prepare(`SELECT day, platform, destination_id, kind, value, recorded_at FROM diag_gauges ${where} ORDER BY platform, day, destination_id`).all(...params);
    return (rows as GaugeRow[]).map(gaugeOf);
  }

  async openIncident(incident: { rule: string; subject: string; message: string; opened_at: number }): Promise<AlertIncident | null> {
    // The partial unique index makes "open unless already open" one statement, whoever else evaluates.
    const row = this.db
      .prepare('INSERT INTO diag_alert_incidents (rule, subject, message, opened_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *')
      .get(incident.rule, incident.subject, incident.message, incident.opened_at) as AlertIncident | undefined;
    return row ?? null;
  }

  async resolveIncident(id: number, at: number): Promise<AlertIncident | null> {
    const row = this.db.prepare('UPDATE diag_alert_incidents SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL RETURNING *').get(at, id) as AlertIncident | undefined;
    return row ?? null;
  }

  async listIncidents(query: { open?: boolean; limit?: number } = {}): Promise<AlertIncident[]> {
    const where = query.open ? 'WHERE resolved_at IS NULL' : '';
    return this.db.prepare(`SELECT * FROM diag_alert_incidents ${where} ORDER BY opened_at DESC, id DESC LIMIT ?`).all(query.limit ?? 100) as AlertIncident[];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
