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

function PlatformTable({ report }: { report: ReconcileReport }) {
  const rows = Object.entries(report.platforms) as [string, ReconcilePlatform][];
  if (rows.length === 0) return <Empty title="No attributed conversions uploaded">Upload a platform export (CSV) below to compare it with the order log.</Empty>;
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
              <td class="small">{r.attribution_window}</td>
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
        <p class="muted small">{report.note}</p>
      </Card>
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
  const [upload, setUpload] = useState<{ report?: ReconcileReport; name?: string; error?: string; busy?: boolean }>({});
  const polled = usePoll((signal) => get<ReconcileReport>(withQuery('/api/reconcile', span), signal), `reconcile-${JSON.stringify(span)}`, upload.report ? null : 30_000);
  const setWindow = (key: keyof typeof span, value: string) => navigate('reconciliation', { ...span, [key]: value }, true);

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
        <label class="file">
          Attributed conversions (CSV)
          <input type="file" accept=".csv,text/csv" onChange={onFile} disabled={upload.busy} />
        </label>
      </form>
      <p class="muted small">
        CSV columns <code>platform,date,conversions,value[,currency]</code>, or a Meta / TikTok / Pinterest Ads export. Nothing uploaded is stored.
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
