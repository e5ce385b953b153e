import { get, withQuery } from '../api';
import { Badge } from '../components/Badge';
import { Card } from '../components/Card';
import { Json } from '../components/Json';
import { skipReasonText } from '../labels';
import { Empty, Polled } from '../components/State';
import { count, dateTime, platformLabel, unixSeconds } from '../format';
import { usePoll } from '../poll';
import { navigate, type PageProps } from '../router';
import type { InspectedDelivery, InspectedEvent } from '../types';

// One event end to end: what was stored (hashed; no raw identity is ever stored), the request each platform got,
// and every attempt with the platform's answer. Search by event_id or order id (1001, #1001, order_1001).

function Attempts({ delivery }: { delivery: InspectedDelivery }) {
  if (delivery.attempt_log.length === 0) return <p class="muted small">No attempt yet{delivery.status === 'skipped' ? ' (skipped)' : ''}.</p>;
  return (
    <div class="table-wrap">
      <table class="compact">
        <thead>
          <tr>
            <th>Sent</th>
            <th>HTTP</th>
            <th>Outcome</th>
            <th>Platform code</th>
            <th>Message</th>
            <th class="num">Latency</th>
          </tr>
        </thead>
        <tbody>
          {delivery.attempt_log.map((a, i) => (
            <tr key={i}>
              <td>{dateTime(a.at)}</td>
              <td>{a.http_status ?? '—'}</td>
              <td>
                <Badge value={a.outcome === 'delivered' ? 'delivered' : a.outcome === 'permanent' ? 'rejected' : 'retrying'} label={a.outcome} />
              </td>
              <td class="mono">{a.platform_code ?? '—'}</td>
              <td class="wrap">{a.message ?? '—'}</td>
              <td class="num">{count(a.latency_ms)} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeliveryPanel({ delivery, open }: { delivery: InspectedDelivery; open: boolean }) {
  const req = delivery.request;
  return (
    <section class="delivery" data-destination={delivery.destination_id} data-status={delivery.status}>
      <header class="delivery-head">
        <h3>
          {delivery.destination_id} <span class="muted">{platformLabel(delivery.platform)}</span>
        </h3>
        <Badge value={delivery.status} />
        <span class="muted small">
          {count(delivery.attempts)} attempt{delivery.attempts === 1 ? '' : 's'} · queued {dateTime(delivery.created_at)}
          {delivery.finished_at ? ` · ended ${dateTime(delivery.finished_at)}` : ''}
          {delivery.next_attempt_at ? ` · next try ${dateTime(delivery.next_attempt_at)}` : ''}
        </span>
      </header>
      {delivery.error_code ? (
        <p class="delivery-error">
          <span class="mono">{delivery.error_code}</span> {delivery.error_message}
        </p>
      ) : null}
      {delivery.skip_reason ? (
        <p class="muted">
          Skipped: {skipReasonText(delivery.skip_reason)} <span class="mono small">({delivery.skip_reason})</span>
        </p>
      ) : null}
      <details open={open}>
        <summary>Request body</summary>
        {'unavailable' in req ? (
          <p class="muted">{req.unavailable}</p>
        ) : (
          <>
            <p class="mono small wrap">
              {req.method} {req.url}
            </p>
            {req.note ? <p class="notice small">{req.note}</p> : null}
            <Json label={`Request body for ${delivery.destination_id}`} value={req.body} />
          </>
        )}
      </details>
      <h4>Attempts</h4>
      <Attempts delivery={delivery} />
    </section>
  );
}

function EventView({ item }: { item: InspectedEvent }) {
  return (
    <Card title={item.event.event_id} aside={<Badge value={item.test ? 'warn' : 'info'} label={item.test ? 'test order' : item.source} />} class="event-card">
      <dl class="facts">
        <dt>Event</dt>
        <dd class="mono">{item.event.event_name}</dd>
        <dt>Event time</dt>
        <dd>{unixSeconds(item.event.event_time)}</dd>
        <dt>Received</dt>
        <dd>{dateTime(item.received_at)}</dd>
        <dt>Source</dt>
        <dd>{item.source}</dd>
      </dl>
      <details>
        <summary>Stored event (hashed identity, as kept on disk)</summary>
        <Json label="Stored event" value={item.event} />
      </details>
      <h3 class="section-title">Deliveries</h3>
      {item.deliveries.length === 0 ? <Empty title="No deliveries">No destination was enabled for this event.</Empty> : item.deliveries.map((d, i) => <DeliveryPanel key={d.delivery_id} delivery={d} open={i === 0 || d.status === 'rejected' || d.status === 'dead'} />)}
    </Card>
  );
}

// An uncontrolled box, keyed by the query it was opened with: a new query (a link from Findings) remounts it with
// that text, and what is typed is read from the box itself on submit. The earlier controlled box synced from the
// URL in an effect that could run after typing began and wipe it (a typed search then submitted empty).
function SearchForm({ initial }: { initial: string }) {
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        const box = e.currentTarget.elements.namedItem('q') as HTMLInputElement;
        navigate('inspector', { q: box.value.trim() });
      }}
    >
      <label for="inspector-q">Event id or order id</label>
      <div class="search-row">
        <input id="inspector-q" name="q" type="search" placeholder="order_1001, 1001, #1001 or an event_id" defaultValue={initial} />
        <button class="button button-primary" type="submit">
          Inspect
        </button>
      </div>
    </form>
  );
}

export function Inspector({ params }: PageProps) {
  const query = params.get('q') ?? '';
  const polled = usePoll(
    (signal) => (query ? get<{ events: InspectedEvent[] }>(withQuery('/api/events/search', { q: query }), signal) : Promise.resolve({ events: [] })),
    `inspector-${query}`,
    query ? 5000 : null,
  );
  return (
    <div class="stack">
      <SearchForm key={query} initial={query} />
      {!query ? (
        <Empty title="Search for an event">Enter an event_id, or an order id: Shopify orders are stored as order_&lt;id&gt;. Example ids on the Findings and Dead letters pages link here.</Empty>
      ) : (
        <Polled polled={polled} what="the event">
          {(d) => (d.events.length === 0 ? <Empty title={`Nothing found for “${query}”`}>No stored event has this event_id or order id.</Empty> : d.events.map((e) => <EventView key={e.event.event_id} item={e} />))}
        </Polled>
      )}
    </div>
  );
}
