import { get, withQuery } from '../api';
import { Badge } from '../components/Badge';
import { Card, Stat } from '../components/Card';
import { Chart } from '../components/Chart';
import { EventLink } from '../components/EventLink';
import { Empty, Polled } from '../components/State';
import { count, duration, platformLabel } from '../format';
import { SKIPPED_EXPLAINED } from '../labels';
import { usePoll } from '../poll';
import { href, navigate, type PageProps } from '../router';
import type { Diagnostics, Outcome, Overview as OverviewData, QueueCounts } from '../types';

// Is it flowing? Events in, each destination's outcomes over time, the backlog, and the latest findings.

const RANGES = ['1h', '6h', '24h', '7d'] as const;
export const OUTCOME_COLORS: Record<Outcome, string> = { delivered: '#1f9d55', retrying: '#d69e2e', rejected: '#dd6b20', dead: '#c53030' };

function xAxis(o: OverviewData): number[] {
  const n = Math.round((o.to - o.from) / o.bucket_ms);
  return Array.from({ length: n }, (_, i) => (o.from + i * o.bucket_ms) / 1000);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function QueueTable({ queue }: { queue: QueueCounts[] }) {
  if (queue.length === 0) return <Empty title="No deliveries yet">Deliveries appear here once events come in.</Empty>;
  return (
    <div class="table-wrap">
      <table class="queue-table">
        <thead>
          <tr>
            <th>Destination</th>
            <th class="num">Queued</th>
            <th class="num">Retrying</th>
            <th class="num">Oldest pending</th>
            <th class="num">Delivered</th>
            <th class="num">Rejected</th>
            <th class="num">Dead</th>
            <th class="num">
              <abbr title={SKIPPED_EXPLAINED}>Skipped</abbr>
            </th>
          </tr>
        </thead>
        <tbody>
          {queue.map((q) => (
            <tr key={q.destination_id} data-destination={q.destination_id}>
              <th scope="row">
                {q.destination_id} <span class="muted">{platformLabel(q.platform)}</span>
              </th>
              <td class="num" data-label="Queued">{count(q.pending)}</td>
              <td class="num" data-label="Retrying">{count(q.retrying)}</td>
              <td class="num" data-label="Oldest pending">{duration(q.oldest_pending_ms)}</td>
              <td class="num" data-label="Delivered">{count(q.delivered)}</td>
              <td class="num" data-label="Rejected">{q.rejected ? <a href={href('dead-letters', { destination: q.destination_id, status: 'rejected' })}>{count(q.rejected)}</a> : '0'}</td>
              <td class="num" data-label="Dead">{q.dead ? <a href={href('dead-letters', { destination: q.destination_id, status: 'dead' })}>{count(q.dead)}</a> : '0'}</td>
              <td class="num" data-label="Skipped">{count(q.skipped)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small skipped-note">{SKIPPED_EXPLAINED}</p>
    </div>
  );
}

function Activity({ data }: { data: OverviewData }) {
  if (!data.activity) return <Empty title="Activity over time is not available">This storage backend does not provide it yet; the totals below are current.</Empty>;
  const x = xAxis(data);
  const destinations = Object.entries(data.activity.destinations);
  return (
    <>
      <Card title="Events in" aside={<span class="muted">{count(sum(data.activity.events_in))} in this range</span>}>
        <Chart label="Events received per interval" x={x} height={160} series={[{ label: 'events in', color: '#3b5bdb', values: data.activity.events_in, bars: true }]} />
      </Card>
      <div class="grid-2">
        {destinations.map(([id, d]) => (
          <Card key={id} title={`${id}`} aside={<span class="muted">{platformLabel(d.platform)}</span>} class="destination-card">
            <p class="totals">
              {(Object.keys(OUTCOME_COLORS) as Outcome[]).map((o) => (
                <span key={o} class="total" data-outcome={o}>
                  <Badge value={o} /> {count(sum(d.series[o]))}
                </span>
              ))}
            </p>
            <Chart
              label={`Deliveries to ${id} per interval`}
              x={x}
              height={150}
              series={(Object.keys(OUTCOME_COLORS) as Outcome[]).map((o) => ({ label: o, color: OUTCOME_COLORS[o], values: d.series[o] }))}
            />
          </Card>
        ))}
      </div>
    </>
  );
}

function LatestFindings() {
  const polled = usePoll((signal) => get<Diagnostics>(withQuery('/api/diagnostics', {}), signal), 'overview-findings', 15_000);
  return (
    <Card title="Latest findings" aside={<a href={href('findings')}>All findings →</a>}>
      <Polled polled={polled} what="findings">
        {(d) =>
          d.warnings.length === 0 ? (
            <Empty title="No findings">Over the last 7 days every event carried what its platforms need.</Empty>
          ) : (
            <ul class="finding-list">
              {d.warnings.slice(0, 5).map((f) => (
                <li key={f.code}>
                  <Badge value={f.severity} /> <strong class="mono">{f.code}</strong> <span class="muted">× {count(f.count)}</span>
                  <div class="muted small">
                    {f.message} {f.examples[0] ? <>e.g. <EventLink id={f.examples[0]} /></> : null}
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Polled>
    </Card>
  );
}

export function Overview({ params }: PageProps) {
  const range = (RANGES as readonly string[]).includes(params.get('range') ?? '') ? params.get('range')! : '1h';
  const polled = usePoll((signal) => get<OverviewData>(withQuery('/api/overview', { range }), signal), `overview-${range}`);
  return (
    <div class="stack">
      <div class="toolbar">
        <div class="segmented" role="group" aria-label="Time range">
          {RANGES.map((r) => (
            <button type="button" key={r} class={r === range ? 'active' : ''} aria-pressed={r === range} onClick={() => navigate('overview', { range: r }, true)}>
              {r}
            </button>
          ))}
        </div>
        <span class="muted small live">
          <span class="live-dot" aria-hidden="true" /> live, every 5 s
        </span>
      </div>
      <Polled polled={polled} what="the overview">
        {(data) => {
          const totals = data.queue.reduce(
            (t, q) => ({ queued: t.queued + q.pending + q.retrying, oldest: Math.max(t.oldest, q.oldest_pending_ms), dead: t.dead + q.dead, rejected: t.rejected + q.rejected }),
            { queued: 0, oldest: 0, dead: 0, rejected: 0 },
          );
          return (
            <>
              <div class="stats">
                <Stat label="Events in" value={count(data.activity ? sum(data.activity.events_in) : null)} hint={`last ${data.range}`} />
                <Stat label="Queue depth" value={count(totals.queued)} hint="pending + retrying" tone={totals.queued > 1000 ? 'warn' : undefined} />
                <Stat label="Oldest pending" value={duration(totals.oldest)} tone={totals.oldest > 15 * 60_000 ? 'warn' : undefined} />
                <Stat label="Dead letters" value={count(totals.dead + totals.rejected)} hint={`${count(totals.dead)} dead · ${count(totals.rejected)} rejected`} tone={totals.dead + totals.rejected > 0 ? 'bad' : 'good'} />
              </div>
              <Activity data={data} />
              <Card title="Queue and totals per destination">
                <QueueTable queue={data.queue} />
              </Card>
            </>
          );
        }}
      </Polled>
      <LatestFindings />
    </div>
  );
}
