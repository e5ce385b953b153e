import { get } from '../api';
import { Badge } from '../components/Badge';
import { Card } from '../components/Card';
import { EventLink } from '../components/EventLink';
import { Empty, Polled } from '../components/State';
import { count, platformLabel } from '../format';
import { usePoll } from '../poll';
import type { Diagnostics, Finding } from '../types';

// Each finding over the last 7 days: how many events, which platforms, what to change, and events to look at.

const ORDER = { error: 0, warn: 1, info: 2 } as const;

function FindingCard({ finding }: { finding: Finding }) {
  return (
    <article class={`finding finding-${finding.severity}`} data-code={finding.code}>
      <header class="finding-head">
        <Badge value={finding.severity} />
        <h2 class="mono">{finding.code}</h2>
        <span class="finding-count">
          <strong>{count(finding.count)}</strong> event{finding.count === 1 ? '' : 's'}
        </span>
      </header>
      <p>{finding.message}</p>
      <p class="fix">
        <strong>Fix:</strong> {finding.fix}
      </p>
      <dl class="finding-meta">
        <dt>Platforms</dt>
        <dd>{finding.platforms.map(platformLabel).join(', ') || '—'}</dd>
        <dt>Examples</dt>
        <dd class="examples">
          {finding.examples.length ? finding.examples.map((id) => <EventLink key={id} id={id} />) : '—'}
        </dd>
      </dl>
    </article>
  );
}

export function Findings() {
  const polled = usePoll((signal) => get<Diagnostics>('/api/diagnostics', signal), 'findings');
  return (
    <Card title="Findings, last 7 days" aside={<span class="muted small">counted in events; examples open the inspector</span>}>
      <Polled polled={polled} what="findings">
        {(d) => (
          <>
            {d.sample && d.sample.rate < 1 ? (
              <p class="muted small" data-testid="findings-sample">
                Counted on a sample of {count(d.sample.events_diagnosed)} of the {count(d.sample.events_seen)} events, drawn by event id
                across the whole week.
              </p>
            ) : null}
            {d.warnings.length === 0 ? (
              <Empty title={d.events === 0 ? 'No events in the last 7 days' : 'No findings'}>
                {d.events === 0 ? 'Findings appear once events come in.' : `All ${count(d.events)} events carried what their platforms need.`}
              </Empty>
            ) : (
              <div class="stack">
                {[...d.warnings]
                  .sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || b.count - a.count)
                  .map((f) => (
                    <FindingCard key={f.code} finding={f} />
                  ))}
              </div>
            )}
          </>
        )}
      </Polled>
    </Card>
  );
}
