import { useState } from 'preact/hooks';
import { get, post, withQuery } from '../api';
import { Card, Stat } from '../components/Card';
import { Empty, Polled } from '../components/State';
import { count, money, percent, platformLabel } from '../format';
import { usePoll } from '../poll';
import { navigate, type PageProps } from '../router';
import type { ReconcilePlatform, ReconcileReport } from '../types';

// The shop's order log is the truth set; each platform's attributed conversions are a share of it. Days whose
// click window is still open (immature) are shaded: their numbers will still grow. Never a total across platforms.

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && out.length < 400; t += DAY_MS) out.push(isoDay(t));
  return out;
}

function DayStrip({ from, to, immatureFrom, platform }: { from: string; to: string; immatureFrom: string | null; platform: string }) {
  const days = daysBetween(from, to);
  return (
    <div class="day-strip" role="img" aria-label={`${platformLabel(platform)}: ${immatureFrom ? `days from ${immatureFrom} are immature` : 'every day is mature'}`}>
      {days.map((d) => (
        <span key={d} class={`day ${immatureFrom && d >= immatureFrom ? 'day-immature' : 'day-mature'}`} title={`${d}${immatureFrom && d >= immatureFrom ? ' — click window still open' : ''}`} />
      ))}
    </div>
  );
}

/** The window, and for figures read from a platform, how it is known in the platform's own words. */
function WindowCell({ r }: { r: ReconcilePlatform }) {
  if (!r.pulled?.length) return <td class="small">{r.attribution_window}</td>;
  return (
    <td class="small">
      <span class="window">{r.attribution_window}</span>
      {r.pulled.map((p) => (
        <span key={p.destination_id} class="muted window-detail" title={`${p.destination_id}: ${p.endpoint}`}>
          <br />
          {p.window_source === 'requested' ? 'requested' : "the account's setting"}: {p.window_detail}
        </span>
      ))}
    </td>
  );
}

function PlatformTable({ report }: { report: ReconcileReport }) {
  const rows = Object.entries(report.platforms) as [string, ReconcilePlatform][];
  if (rows.length === 0) {
    return report.attributed_pull ? (
      <Empty title="No platform could be read">See below which platforms were not read and why.</Empty>
    ) : (
      <Empty title="No attributed conversions uploaded">Upload a platform export (CSV) below, or read them from the platforms, to compare with the order log.</Empty>
    );
  }
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Platform</th>
            <th class="num">Attributed</th>
            <th class="num">Value</th>
            <th class="num">Share of orders</th>
            <th class="num">Share of revenue</th>
            <th>Window</th>
            <th>Days (shaded: immature)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([p, r]) => (
            <tr key={p} data-platform={p}>
              <th scope="row">{platformLabel(p)}</th>
              <td class="num">{count(r.attributed_conversions)}</td>
              <td class="num">{money(r.attributed_value, r.currency)}</td>
              <td class="num">{percent(r.share, 1)}</td>
              <td class="num">{percent(r.value_share, 1)}</td>
              <WindowCell r={r} />
              <td>
                <DayStrip from={report.window.from} to={report.window.to} immatureFrom={r.immature_from} platform={p} />
                <span class="muted small">{r.immature_days ? `${r.immature_days} immature day${r.immature_days === 1 ? '' : 's'}` : 'all mature'}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Each day: the orders of record beside what each platform read attributed to it, each in its own window. */
function ByDayTable({ report }: { report: ReconcileReport }) {
  const read = (Object.entries(report.platforms) as [string, ReconcilePlatform][]).filter(([, r]) => r.pulled?.length);
  if (read.length === 0) return null;
  const days = read[0]![1].by_day;
  return (
    <div class="table-wrap">
      <table aria-label="Per day">
        <thead>
          <tr>
            <th>Day</th>
            <th class="num">Orders of record</th>
            {read.map(([p, r]) => (
              <th key={p} class="num" data-platform={p}>
                {platformLabel(p)} <span class="muted small">({r.attribution_window})</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr key={d.date} data-day={d.date}>
              <th scope="row">{d.date}</th>
              <td class="num">{count(d.orders_of_record)}</td>
              {read.map(([p, r]) => {
                const day = r.by_day[i]!;
                const immature = r.immature_from !== null && day.date >= r.immature_from;
                return (
                  <td key={p} class={`num${immature ? ' day-immature-cell' : ''}`} data-platform={p} title={immature ? 'click window still open: will still grow' : undefined}>
                    {count(day.attributed_conversions)}
                    {day.attributed_value !== null ? <span class="muted small"> · {money(day.attributed_value, r.currency)}</span> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Destinations whose reporting API could not be read, or was not read, with why. */
function NotRead({ pull }: { pull: NonNullable<ReconcileReport['attributed_pull']> }) {
  if (pull.failed.length === 0 && pull.skipped.length === 0) return null;
  const noApi = pull.skipped.filter((k) => k.kind === 'no_read_api');
  return (
    <ul class="not-read small" aria-label="Not read">
      {pull.failed.map((f) => (
        <li key={f.destination_id} class="form-error" data-destination={f.destination_id}>
          <strong>{platformLabel(f.platform)}</strong> ({f.destination_id}): could not be read — {f.error.kind === 'auth' ? 'credentials or permission refused' : f.error.kind === 'retryable' ? 'temporarily unavailable' : 'refused'} ({f.error.code}: {f.error.message})
        </li>
      ))}
      {pull.skipped
        .filter((k) => k.kind === 'not_configured')
        .map((k) => (
          <li key={k.destination_id} class="muted" data-destination={k.destination_id}>
            {platformLabel(k.platform)} ({k.destination_id}): not read — {k.reason}
          </li>
        ))}
      {noApi.length ? <li class="muted">No attributed conversions to read from {noApi.map((k) => `${platformLabel(k.platform)} (${k.destination_id})`).join(', ')}.</li> : null}
    </ul>
  );
}

function DeliveryTable({ report }: { report: ReconcileReport }) {
  if (!report.delivery_available) return <p class="muted">The delivery side is not available from this storage backend.</p>;
  const rows = Object.entries(report.delivery);
  if (rows.length === 0) return <Empty title="No purchases delivered in this window" />;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Platform</th>
            <th class="num">Sent</th>
            <th class="num">Accepted</th>
            <th class="num">Rejected</th>
            <th class="num">Dead</th>
            <th class="num">Pending</th>
            <th class="num">Skipped</th>
            <th class="num">Accepted share</th>
            <th class="num">Never accepted</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([p, d]) => (
            <tr key={p} data-platform={p}>
              <th scope="row">{platformLabel(p)}</th>
              <td class="num">{count(d.sent)}</td>
              <td class="num">{count(d.accepted)}</td>
              <td class="num">{count(d.rejected)}</td>
              <td class="num">{count(d.dead)}</td>
              <td class="num">{count(d.pending)}</td>
              <td class="num">{count(d.skipped)}</td>
              <td class="num">{percent(d.accepted_share, 1)}</td>
              <td class="num">{count(d.never_accepted_total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Why an order read is left out, in the order the report tries them (docs/RECONCILE.md "Orders of record"). */
const LEFT_OUT: [keyof ReconcileReport['orders_of_record']['excluded'], string][] = [
  ['test', 'test'],
  ['cancelled', 'cancelled'],
  ['unknown_status', 'unknown status'],
  ['unpaid', 'unpaid'],
  ['refunded', 'refunded'],
];

const leftOutTotal = (o: ReconcileReport['orders_of_record']) => LEFT_OUT.reduce((n, [key]) => n + o.excluded[key], 0);

/** Every order read is somewhere: kept, left out for one reason, or outside the window. */
function Accounting({ orders: o }: { orders: ReconcileReport['orders_of_record'] }) {
  return (
    <p class="accounting small" aria-label="Orders read">
      <strong>{count(o.read)} orders read</strong> = {count(o.count)} kept + {count(leftOutTotal(o))} left out (
      {LEFT_OUT.map(([key, label]) => `${count(o.excluded[key])} ${label}`).join(' · ')}) + {count(o.outside_window)} outside the window
    </p>
  );
}

function Report({ report }: { report: ReconcileReport }) {
  const o = report.orders_of_record;
  return (
    <>
      <div class="stats">
        <Stat label="Orders of record" value={count(o.count)} hint={`${report.window.from} → ${report.window.to}`} />
        <Stat label="Revenue" value={money(o.revenue, o.currency)} hint={o.refunded_amount ? `${money(o.refunded_amount, o.currency)} refunded (partial)` : 'no partial refunds'} />
        <Stat label="Left out" value={count(leftOutTotal(o))} hint={LEFT_OUT.map(([key, label]) => `${o.excluded[key]} ${label}`).join(' · ')} tone={o.excluded.unknown_status ? 'warn' : undefined} />
        <Stat label="As of" value={report.window.as_of} hint={`orders from ${o.source}`} />
      </div>
      <Accounting orders={o} />
      <Card title="Attributed by each platform">
        <PlatformTable report={report} />
        {report.attributed_pull ? <NotRead pull={report.attributed_pull} /> : null}
        <p class="muted small">{report.note}</p>
      </Card>
      {Object.values(report.platforms).some((r) => r.pulled?.length) ? (
        <Card title="Per day, as each platform reports it">
          <ByDayTable report={report} />
        </Card>
      ) : null}
      <Card title="Delivered by the gateway">
        <DeliveryTable report={report} />
      </Card>
      {report.notes.length ? (
        <Card title="Notes">
          <ul>
            {report.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        </Card>
      ) : null}
    </>
  );
}

export function Reconciliation({ params }: PageProps) {
  const today = isoDay(Date.now());
  const span = { from: params.get('from') || isoDay(Date.now() - 29 * DAY_MS), to: params.get('to') || today, as_of: params.get('as_of') || today };
  // Reading the platforms' reporting APIs is a few calls to each platform: done once per view, not polled.
  const readPlatforms = params.get('attributed') === 'platforms';
  const [upload, setUpload] = useState<{ report?: ReconcileReport; name?: string; error?: string; busy?: boolean }>({});
  const query = { ...span, ...(readPlatforms ? { attributed: 'platforms' } : {}) };
  const polled = usePoll((signal) => get<ReconcileReport>(withQuery('/api/reconcile', query), signal), `reconcile-${JSON.stringify(query)}`, upload.report || readPlatforms ? null : 30_000);
  const setWindow = (key: keyof typeof span, value: string) => navigate('reconciliation', { ...query, [key]: value }, true);
  const setRead = (on: boolean) => navigate('reconciliation', { ...span, ...(on ? { attributed: 'platforms' } : {}) }, true);

  const onFile = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setUpload({ busy: true, name: file.name });
    try {
      const csv = await file.text();
      const report = await post<ReconcileReport>('/api/reconcile', { ...span, attributed: [{ csv, name: file.name }] });
      setUpload({ report, name: file.name });
    } catch (err) {
      setUpload({ error: (err as Error).message, name: file.name });
    } finally {
      input.value = '';
    }
  };

  return (
    <div class="stack">
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Window">
        <label>
          From
          <input type="date" value={span.from} onChange={(e) => setWindow('from', (e.target as HTMLInputElement).value)} />
        </label>
        <label>
          To
          <input type="date" value={span.to} onChange={(e) => setWindow('to', (e.target as HTMLInputElement).value)} />
        </label>
        <label>
          As of
          <input type="date" value={span.as_of} onChange={(e) => setWindow('as_of', (e.target as HTMLInputElement).value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={readPlatforms} onChange={(e) => setRead((e.target as HTMLInputElement).checked)} />
          Read attributed conversions from the platforms
        </label>
        <label class="file">
          Attributed conversions (CSV)
          <input type="file" accept=".csv,text/csv" onChange={onFile} disabled={upload.busy} />
        </label>
      </form>
      <p class="muted small">
        CSV columns <code>platform,date,conversions,value[,currency]</code>, or a Meta / TikTok / Pinterest Ads export. Nothing uploaded is stored. Reading
        from the platforms asks Meta, Pinterest, TikTok and Google Ads for their attributed purchases per day, each with its own attribution window
        (docs/CONFIGURATION.md lists the read permissions).
      </p>
      {upload.busy ? <p class="notice">Reconciling {upload.name}…</p> : null}
      {upload.error ? (
        <p class="form-error" role="alert">
          {upload.name}: {upload.error}
        </p>
      ) : null}
      {upload.report ? (
        <>
          <p class="form-ok" role="status">
            Compared with {upload.name}.{' '}
            <button type="button" class="button button-ghost" onClick={() => setUpload({})}>
              Clear upload
            </button>
          </p>
          <Report report={upload.report} />
        </>
      ) : (
        <Polled polled={polled} what="the reconciliation report">
          {(r) => <Report report={r} />}
        </Polled>
      )}
    </div>
  );
}
