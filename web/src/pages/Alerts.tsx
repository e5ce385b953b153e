import { get } from '../api';
import { Badge } from '../components/Badge';
import { Card } from '../components/Card';
import { Empty, Polled } from '../components/State';
import { dateTime } from '../format';
import { usePoll } from '../poll';
import type { AlertsPage } from '../types';

// Alert incidents (docs/ALERTS.md): open ones first, then the resolved history. Channels are shown by id and type
// only — their URLs and SMTP credentials never leave the gateway.

export function Alerts() {
  const polled = usePoll((signal) => get<AlertsPage>('/api/alerts?limit=200', signal), 'alerts');
  return (
    <Polled polled={polled} what="alerts">
      {(data) => {
        if (!data.configured) {
          return <Empty title="No alerts configured">Add an `alerts` section to the configuration (docs/ALERTS.md) to be told when a destination pauses or orders go unsent.</Empty>;
        }
        const open = data.incidents.filter((i) => i.resolved_at === null);
        return (
          <>
            <Card title="Rules and channels">
              <p>
                Rules: {data.rules.length ? data.rules.join(', ') : 'none'}. Channels: {data.channels.length ? data.channels.map((c) => `${c.id} (${c.type})`).join(', ') : 'none'}.
              </p>
            </Card>
            <Card title="Incidents" aside={<span class="muted">{open.length} open</span>}>
              {data.incidents.length === 0 ? (
                <Empty title="No incidents">Nothing has needed attention.</Empty>
              ) : (
                <div class="table-wrap">
                <table aria-label="Alert incidents">
                  <thead>
                    <tr>
                      <th>Status</th>
                      <th>Rule</th>
                      <th>Subject</th>
                      <th>What happened</th>
                      <th>Opened</th>
                      <th>Resolved</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.incidents.map((i) => (
                      <tr key={i.id} data-incident={i.id}>
                        <td>{i.resolved_at === null ? <Badge value="error" label="open" /> : <Badge value="delivered" label="resolved" />}</td>
                        <td class="mono">{i.rule}</td>
                        <td>{i.subject}</td>
                        <td class="small">{i.message}</td>
                        <td>{dateTime(i.opened_at)}</td>
                        <td>{i.resolved_at === null ? '—' : dateTime(i.resolved_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                </div>
              )}
            </Card>
          </>
        );
      }}
    </Polled>
  );
}
