import { get } from '../api';
import { Card } from '../components/Card';
import { EventLink } from '../components/EventLink';
import { Empty, Polled } from '../components/State';
import { count, percent, platformLabel } from '../format';
import { usePoll } from '../poll';
import type { Dedup as DedupData } from '../types';

// Server and browser legs of the same event share an event_id; the platforms keep one. A low paired share means
// the browser pixel and the gateway disagree on event_id (or one leg is missing), so the platform double counts.

function ShareBar({ share }: { share: number | null }) {
  return (
    <div class="bar" role="img" aria-label={`paired ${percent(share)}`}>
      <div class="bar-fill" style={{ width: `${Math.round((share ?? 0) * 100)}%` }} />
    </div>
  );
}

export function Dedup() {
  const polled = usePoll((signal) => get<DedupData>('/api/dedup', signal), 'dedup');
  return (
    <Card title="Server ↔ browser pairing, last 7 days" aside={<span class="muted small">same mapped event name and event_id within 48 h</span>}>
      <Polled polled={polled} what="dedup pairing">
        {(d) => {
          const rows = Object.entries(d.platforms);
          if (rows.length === 0 || d.events === 0) return <Empty title="No events in the last 7 days">Pairing appears once server and browser events come in.</Empty>;
          return (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Platform</th>
                    <th class="num">Server events</th>
                    <th class="num">Browser events</th>
                    <th class="num">Paired</th>
                    <th>Paired share</th>
                    <th class="num">Server orphans</th>
                    <th class="num">Browser orphans</th>
                    <th class="num">Name mismatches</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(([p, f]) => (
                    <tr key={p} data-platform={p}>
                      <th scope="row">{platformLabel(p)}</th>
                      <td class="num">{count(f.server_events)}</td>
                      <td class="num">{count(f.browser_events)}</td>
                      <td class="num">{count(f.paired)}</td>
                      <td>
                        <div class="share">
                          <ShareBar share={f.paired_share} />
                          <span class="share-value">{percent(f.paired_share)}</span>
                        </div>
                      </td>
                      <td class="num">{count(f.server_orphans)}</td>
                      <td class="num">{count(f.browser_orphans)}</td>
                      <td class="num">{count(f.name_mismatches)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3 class="section-title">Example events</h3>
              <dl class="facts">
                {rows.map(([p, f]) => {
                  const ids = [...f.examples.server_orphans.slice(0, 3), ...f.examples.browser_orphans.slice(0, 2), ...f.examples.name_mismatches.slice(0, 2)];
                  return [
                    <dt key={`${p}-t`}>{platformLabel(p)}</dt>,
                    <dd key={`${p}-d`} class="examples">
                      {ids.length ? ids.map((id) => <EventLink key={id} id={id} />) : <span class="muted">every event paired</span>}
                    </dd>,
                  ];
                })}
              </dl>
            </div>
          );
        }}
      </Polled>
    </Card>
  );
}
