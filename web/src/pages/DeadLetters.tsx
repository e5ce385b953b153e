import { useState } from 'preact/hooks';
import { get, post, withQuery } from '../api';
import { Badge } from '../components/Badge';
import { Card } from '../components/Card';
import { EventLink } from '../components/EventLink';
import { Empty, Polled } from '../components/State';
import { count, dateTime, localInputToIso, platformLabel } from '../format';
import { usePoll } from '../poll';
import { navigate, type PageProps } from '../router';
import type { DashboardInfo, DeadLetter, DeadLetterPage } from '../types';

// Deliveries that ended dead (retries exhausted, too old) or rejected (refused for good), with the platform's
// reason. Replay puts them back in the queue with the same event_id, so the platforms still deduplicate them.

const PAGE_SIZE = 50;
const FILTERS = ['status', 'destination', 'reason', 'from', 'to'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function filtersOf(params: URLSearchParams): Filters {
  const f: Filters = {};
  for (const k of FILTERS) {
    const v = params.get(k);
    if (v) f[k] = v;
  }
  return f;
}

function apiFilter(f: Filters): Record<string, string | undefined> {
  return { status: f.status, destination: f.destination, reason: f.reason, from: localInputToIso(f.from ?? ''), to: localInputToIso(f.to ?? '') };
}

function FilterBar({ filters, reasons, destinations }: { filters: Filters; reasons: DeadLetterPage['reasons']; destinations: DashboardInfo['destinations'] }) {
  const set = (key: keyof Filters, value: string) => navigate('dead-letters', { ...filters, [key]: value || undefined, page: undefined }, true);
  return (
    <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
      <label>
        Status
        <select value={filters.status ?? ''} onChange={(e) => set('status', (e.target as HTMLSelectElement).value)}>
          <option value="">dead and rejected</option>
          <option value="dead">dead</option>
          <option value="rejected">rejected</option>
        </select>
      </label>
      <label>
        Platform / destination
        <select name="destination" value={filters.destination ?? ''} onChange={(e) => set('destination', (e.target as HTMLSelectElement).value)}>
          <option value="">all</option>
          {destinations.map((d) => (
            <option key={d.id} value={d.id}>
              {d.id} ({platformLabel(d.platform)})
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason
        <select name="reason" value={filters.reason ?? ''} onChange={(e) => set('reason', (e.target as HTMLSelectElement).value)}>
          <option value="">any</option>
          {filters.reason && !reasons.some((r) => r.error_code === filters.reason) ? <option value={filters.reason}>{filters.reason}</option> : null}
          {reasons.map((r) => (
            <option key={r.error_code} value={r.error_code}>
              {r.error_code} ({count(r.n)})
            </option>
          ))}
        </select>
      </label>
      <label>
        Ended after
        <input type="datetime-local" value={filters.from ?? ''} onChange={(e) => set('from', (e.target as HTMLInputElement).value)} />
      </label>
      <label>
        Ended before
        <input type="datetime-local" value={filters.to ?? ''} onChange={(e) => set('to', (e.target as HTMLInputElement).value)} />
      </label>
    </form>
  );
}

function Row({ row, selected, toggle }: { row: DeadLetter; selected: boolean; toggle: () => void }) {
  return (
    <tr data-delivery={row.delivery_id} data-event={row.event_id} class={selected ? 'selected' : ''}>
      <td>
        <input type="checkbox" checked={selected} onChange={toggle} aria-label={`Select ${row.event_id} to ${row.destination_id}`} />
      </td>
      <td>
        <EventLink id={row.event_id} />
        <div class="muted small mono">{row.event_name}</div>
      </td>
      <td>
        {row.destination_id} <span class="muted small">{platformLabel(row.platform)}</span>
      </td>
      <td>
        <Badge value={row.status} />
      </td>
      <td class="wrap">
        <span class="mono">{row.error_code ?? '—'}</span>
        {row.error_message ? <div class="muted small">{row.error_message}</div> : null}
      </td>
      <td class="num">{count(row.attempts)}</td>
      <td>{dateTime(row.finished_at)}</td>
    </tr>
  );
}

type ReplayState = { busy?: boolean; confirmAll?: boolean; result?: string; error?: string };

export function DeadLetters({ params }: PageProps) {
  const filters = filtersOf(params);
  const page = Math.max(0, Number(params.get('page') ?? 0) || 0);
  const key = JSON.stringify([filters, page]);
  const info = usePoll((signal) => get<DashboardInfo>('/api/dashboard', signal), 'dashboard-info', null);
  const polled = usePoll((signal) => get<DeadLetterPage>(withQuery('/api/dead-letters', { ...apiFilter(filters), limit: PAGE_SIZE, offset: page * PAGE_SIZE }), signal), `dead-${key}`);
  const [selected, setSelected] = useState<Map<number, DeadLetter['status']>>(new Map());
  const [replay, setReplay] = useState<ReplayState>({});

  const toggle = (row: DeadLetter) =>
    setSelected((s) => {
      const next = new Map(s);
      if (next.has(row.delivery_id)) next.delete(row.delivery_id);
      else next.set(row.delivery_id, row.status);
      return next;
    });

  const replaySelected = async () => {
    setReplay({ busy: true });
    try {
      let replayed = 0;
      for (const status of ['dead', 'rejected'] as const) {
        const ids = [...selected].filter(([, s]) => s === status).map(([id]) => id);
        if (ids.length) replayed += (await post<{ replayed: number }>('/api/deliveries/replay', { status, delivery_ids: ids })).replayed;
      }
      setSelected(new Map());
      setReplay({ result: `Re-queued ${count(replayed)} deliver${replayed === 1 ? 'y' : 'ies'} with their original event_id.` });
      polled.refresh();
    } catch (err) {
      setReplay({ error: (err as Error).message });
    }
  };

  const replayAll = async () => {
    setReplay({ busy: true });
    try {
      const r = await post<{ replayed: number; remaining: number }>('/api/dead-letters/replay', apiFilter(filters));
      setSelected(new Map());
      setReplay({ result: `Re-queued ${count(r.replayed)} deliver${r.replayed === 1 ? 'y' : 'ies'}${r.remaining ? `; ${count(r.remaining)} more match, replay again` : ''}.` });
      polled.refresh();
    } catch (err) {
      setReplay({ error: (err as Error).message });
    }
  };

  return (
    <div class="stack">
      <FilterBar filters={filters} reasons={polled.data?.reasons ?? []} destinations={info.data?.destinations ?? []} />
      {replay.result ? (
        <p class="form-ok" role="status" data-testid="replay-result">
          {replay.result}
        </p>
      ) : null}
      {replay.error ? (
        <p class="form-error" role="alert">
          Replay failed: {replay.error}
        </p>
      ) : null}
      <Polled polled={polled} what="dead letters">
        {(d) => (
          <Card
            title={`${count(d.total)} dead letter${d.total === 1 ? '' : 's'}`}
            aside={
              <div class="actions">
                <button type="button" class="button" disabled={selected.size === 0 || replay.busy} onClick={replaySelected}>
                  Replay selected ({count(selected.size)})
                </button>
                {replay.confirmAll ? (
                  <span class="confirm">
                    Replay all {count(d.total)}?{' '}
                    <button type="button" class="button button-primary" onClick={replayAll}>
                      Yes, replay
                    </button>{' '}
                    <button type="button" class="button button-ghost" onClick={() => setReplay({})}>
                      Cancel
                    </button>
                  </span>
                ) : (
                  <button type="button" class="button button-primary" disabled={d.total === 0 || replay.busy} onClick={() => setReplay({ confirmAll: true })}>
                    Replay all matching
                  </button>
                )}
              </div>
            }
          >
            {d.rows.length === 0 ? (
              <Empty title="No dead letters">{Object.keys(filters).length ? 'Nothing matches these filters.' : 'Every delivery was accepted or is still on its way.'}</Empty>
            ) : (
              <>
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th>
                          <input
                            type="checkbox"
                            aria-label="Select all on this page"
                            checked={d.rows.every((r) => selected.has(r.delivery_id))}
                            onChange={(e) => setSelected((e.target as HTMLInputElement).checked ? new Map(d.rows.map((r) => [r.delivery_id, r.status])) : new Map())}
                          />
                        </th>
                        <th>Event</th>
                        <th>Destination</th>
                        <th>Status</th>
                        <th>Reason</th>
                        <th class="num">Attempts</th>
                        <th>Ended</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.rows.map((r) => (
                        <Row key={r.delivery_id} row={r} selected={selected.has(r.delivery_id)} toggle={() => toggle(r)} />
                      ))}
                    </tbody>
                  </table>
                </div>
                <nav class="pager" aria-label="Pages">
                  <button type="button" class="button" disabled={page === 0} onClick={() => navigate('dead-letters', { ...filters, page: String(page - 1) }, true)}>
                    ← Newer
                  </button>
                  <span class="muted small">
                    {count(d.offset + 1)}–{count(d.offset + d.rows.length)} of {count(d.total)}
                  </span>
                  <button type="button" class="button" disabled={d.offset + d.rows.length >= d.total} onClick={() => navigate('dead-letters', { ...filters, page: String(page + 1) }, true)}>
                    Older →
                  </button>
                </nav>
              </>
            )}
          </Card>
        )}
      </Polled>
    </div>
  );
}
