import { useState } from 'preact/hooks';
import { get, post } from '../api';
import { Card } from '../components/Card';
import { Chart } from '../components/Chart';
import { Empty, Polled } from '../components/State';
import { count, percent, platformLabel } from '../format';
import { keyLabel } from '../labels';
import { usePoll } from '../poll';
import type { Diagnostics, History, QualityComparison } from '../types';

// Which keys each platform actually receives (last 7 days), and how the readiness estimate moved day by day, with
// the operator's annotations on the line. The platforms' headline scores (Meta EMQ, Pinterest EQS) are listed apart,
// never compared with ours; the share of an event carrying a key is the same measure on both sides, so the
// platform's pulled figure stands beside ours per event and key, flagged where the platform sees far less.

const PLATFORM_COLORS: Record<string, string> = { meta: '#3b5bdb', tiktok: '#111827', pinterest: '#e03131', google: '#2f9e44', klaviyo: '#f08c00', ga4: '#e8590c', snapchat: '#fab005', microsoft: '#1c7ed6', reddit: '#ff4500' };

/** 0 → pale red, 1 → green, through amber. */
function heat(share: number): string {
  const hue = Math.round(share * 130);
  return `hsl(${hue} 65% ${88 - share * 28}%)`;
}

function HeatMap({ diagnostics }: { diagnostics: Diagnostics }) {
  const platforms = Object.entries(diagnostics.platforms);
  if (platforms.length === 0 || diagnostics.events === 0) return <Empty title="No events in the last 7 days">Coverage appears once events come in.</Empty>;
  return (
    <div class="heatmap">
      {platforms.map(([platform, d]) => (
        <div class="heat-row" key={platform} data-platform={platform}>
          <div class="heat-label">
            <strong>{platformLabel(platform)}</strong>
            <span class="muted small">
              {count(d.sendable)} of {count(d.events)} sendable
            </span>
          </div>
          <div class="heat-cells">
            {Object.entries(d.coverage).map(([key, share]) => (
              <div
                key={key}
                class="heat-cell"
                data-key={key}
                style={share === null ? undefined : { background: heat(share) }}
                title={`${platformLabel(platform)} ${keyLabel(key)} (${key}): ${percent(share, 1)} of sendable events`}
              >
                <span class="heat-key">
                  {keyLabel(key)} {keyLabel(key) !== key ? <span class="mono heat-wire">{key}</span> : null}
                </span>
                <span class="heat-value">{percent(share)}</span>
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

function dayToSeconds(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

function ReadinessHistory({ history, diagnostics }: { history: History; diagnostics: Diagnostics | undefined }) {
  const days = [...new Set(history.snapshots.map((s) => s.day))].sort();
  const platforms = [...new Set(history.snapshots.map((s) => s.platform))];
  const current = diagnostics ? Object.entries(diagnostics.platforms) : [];
  return (
    <>
      <div class="readiness-now">
        {current.map(([p, d]) => (
          <div key={p} class="readiness-pill" data-platform={p}>
            <span>{platformLabel(p)}</span>
            <strong>{d.readiness === null ? '—' : d.readiness.toFixed(1)}</strong>
            <span class="muted small">/ 10, last 7 days</span>
          </div>
        ))}
      </div>
      {days.length === 0 ? (
        <Empty title="No daily history yet">The gateway records one snapshot per day; the line starts with the first one.</Empty>
      ) : (
        <Chart
          label="Matchkey readiness per platform per day"
          xUnit="day"
          x={days.map(dayToSeconds)}
          yRange={[0, 10]}
          height={220}
          markers={history.annotations.map((a) => ({ x: dayToSeconds(a.day), label: a.text }))}
          series={platforms.map((p) => ({
            label: platformLabel(p),
            color: PLATFORM_COLORS[p] ?? '#555',
            values: days.map((day) => history.snapshots.find((s) => s.day === day && s.platform === p)?.readiness ?? null),
          }))}
        />
      )}
    </>
  );
}

function Annotations({ history, onAdded }: { history: History; onAdded: () => void }) {
  const [text, setText] = useState('');
  const [state, setState] = useState<{ busy?: boolean; error?: string; done?: string }>({});
  const add = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    setState({ busy: true });
    try {
      await post('/api/annotations', { text: text.trim() });
      setState({ done: 'Annotation added.' });
      setText('');
      onAdded();
    } catch (err) {
      setState({ error: (err as Error).message });
    }
  };
  return (
    <>
      {history.annotations.length === 0 ? (
        <p class="muted">No annotations yet. Note a change (“sent external_id”) to see it on the line.</p>
      ) : (
        <ul class="annotations">
          {history.annotations.map((a) => (
            <li key={a.id}>
              <span class="mono">{a.day}</span> {a.text}
            </li>
          ))}
        </ul>
      )}
      <form class="inline-form" onSubmit={add}>
        <label class="sr-only" for="annotation">
          New annotation
        </label>
        <input id="annotation" type="text" maxLength={200} placeholder="e.g. started sending external_id" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        <button class="button" type="submit" disabled={state.busy}>
          Add annotation (today)
        </button>
      </form>
      {state.error ? <p class="form-error">{state.error}</p> : state.done ? <p class="form-ok">{state.done}</p> : null}
    </>
  );
}

function Gauges({ history }: { history: History }) {
  const gauges = Object.entries(history.gauges);
  if (gauges.length === 0) return <p class="muted small">No platform-reported scores recorded (<code>matchkey gauge</code> or POST /api/gauges).</p>;
  return (
    <div class="gauges">
      {gauges.map(([p, g]) => (
        <div key={p} class="gauge">
          <strong>{g.label}</strong>
          <span class="muted small"> — its own scale, never compared with ours or another platform's</span>
          <ul class="inline-list">
            {g.points.slice(-10).map((pt) => (
              <li key={pt.day}>
                <span class="mono">{pt.day}</span> {pt.value}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

const SCORE_LABELS: Record<string, string> = {
  event_match_quality: "Event Match Quality (Meta's score, 0–10)",
  event_quality_score: "Event quality score (Pinterest's rating as 0–100)",
  upload_success_rate: "Upload success rate (Google's %, 0–100)",
};

function OursVsTheirs({ quality }: { quality: QualityComparison }) {
  const { scores } = quality;
  // A destination is named only where a platform has several: with one, the platform says it all.
  const destinationsOf = new Map<string, Set<string>>();
  for (const row of [...scores, ...quality.keys]) destinationsOf.set(row.platform, (destinationsOf.get(row.platform) ?? new Set()).add(row.destination_id ?? ''));
  const who = (row: { platform: string; destination_id?: string }) =>
    (destinationsOf.get(row.platform)?.size ?? 0) > 1 ? `${platformLabel(row.platform)} · ${row.destination_id ?? 'entered by hand'}` : platformLabel(row.platform);
  if (scores.length === 0 && quality.keys.length === 0) {
    return <p class="muted small">No platform readings pulled yet (<code>matchkey quality pull</code>, or the gateway's daily pull).</p>;
  }
  return (
    <>
      <div class="readiness-now">
        {scores.map((s) => (
          <div key={`${s.platform}-${s.destination_id ?? ''}-${s.kind}`} class="platform-score" data-platform={s.platform} data-destination={s.destination_id}>
            <span>{who(s)}</span>
            <strong>{s.value}</strong>
            <span class="muted small">
              {SCORE_LABELS[s.kind] ?? s.kind}, {s.day}
            </span>
          </div>
        ))}
      </div>
      {quality.findings.map((f) => (
        <div key={`${f.code}-${f.platform}-${f.destination_id ?? ''}-${f.event ?? ''}-${f.key ?? ''}`} class="finding finding-warn quality-finding" data-code={f.code} data-platform={f.platform} data-destination={f.destination_id} data-key={f.key}>
          <strong>
            {f.key !== undefined
              ? `${who(f)} sees ${keyLabel(f.key)} on ${percent(f.theirs / 100)} of ${f.event ?? ''} events; Matchkey sent it on ${f.ours === null ? '—' : percent(f.ours / 100)}`
              : `${who(f)} processed ${percent(f.theirs / 100)} of the uploads; its upload answer had accepted ${f.ours === null ? '—' : percent(f.ours / 100)}${f.errors && f.errors.length > 0 ? ` (${f.errors.map((e) => `${e.code} ${percent(e.share / 100)}`).join(', ')})` : ''}`}
          </strong>
          <p class="small">{f.message}</p>
          <p class="small">Fix: {f.fix}</p>
        </div>
      ))}
      {quality.uploads.length > 0 && (
        <div class="table-wrap">
          <table class="compact upload-table">
            <thead>
              <tr>
                <th>Platform</th>
                <th>Ours (accepted by the upload answer)</th>
                <th>Google's (processed successfully)</th>
                <th>Errors Google reports</th>
              </tr>
            </thead>
            <tbody>
              {quality.uploads.map((u) => (
                <tr key={`${u.platform}-${u.destination_id ?? ''}`} data-platform={u.platform} data-destination={u.destination_id} class={u.disagrees ? 'disagrees' : undefined}>
                  <td>{who(u)}</td>
                  <td class="num ours">{u.ours === null ? '—' : percent(u.ours / 100)}</td>
                  <td class="num theirs">
                    {percent(u.theirs / 100)} <span class="muted small">{u.day}</span>
                  </td>
                  <td class="small">{u.errors.length === 0 ? '—' : u.errors.map((e) => `${e.code} ${percent(e.share / 100)}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="table-wrap">
      <table class="compact quality-table">
        <thead>
          <tr>
            <th>Platform</th>
            <th>Event</th>
            <th>Key</th>
            <th>Ours (sent)</th>
            <th>The platform's (seen)</th>
          </tr>
        </thead>
        <tbody>
          {quality.keys.map((k) => (
            <tr key={`${k.platform}-${k.destination_id ?? ''}-${k.event}-${k.key}`} data-platform={k.platform} data-destination={k.destination_id} data-event={k.event} data-key={k.key} class={k.disagrees ? 'disagrees' : undefined}>
              <td>{who(k)}</td>
              <td>
                {k.event} <span class="mono muted small">{k.platform_event}</span>
              </td>
              <td>
                {keyLabel(k.key)} <span class="mono muted small">{k.key}</span>
              </td>
              <td class="num ours">{k.ours === null ? '—' : percent(k.ours / 100)}</td>
              <td class="num theirs">
                {percent(k.theirs / 100)} <span class="muted small">{k.day}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </>
  );
}

export function MatchKeys() {
  const diagnostics = usePoll((signal) => get<Diagnostics>('/api/diagnostics', signal), 'matchkeys-diagnostics');
  const history = usePoll((signal) => get<History>('/api/diagnostics/history', signal), 'matchkeys-history', 30_000);
  const quality = usePoll((signal) => get<QualityComparison>('/api/quality', signal), 'matchkeys-quality', 60_000);
  const label = diagnostics.data?.readiness_label ?? history.data?.readiness_label ?? "Matchkey readiness (our estimate, not Meta's Event Match Quality)";
  return (
    <div class="stack">
      <Card title="Key coverage per platform" aside={<span class="muted small">share of sendable events carrying each key, last 7 days</span>}>
        <Polled polled={diagnostics} what="coverage">
          {(d) => <HeatMap diagnostics={d} />}
        </Polled>
      </Card>
      <Card title="Ours vs the platform's" aside={<span class="muted small">share of events carrying each key: what Matchkey sent (last 7 days) and what the platform reports seeing</span>}>
        <Polled polled={quality} what="the platforms' quality readings">
          {(q) => <OursVsTheirs quality={q} />}
        </Polled>
      </Card>
      <Card title={label}>
        <Polled polled={history} what="the readiness history">
          {(h) => <ReadinessHistory history={h} diagnostics={diagnostics.data} />}
        </Polled>
      </Card>
      <div class="grid-2">
        <Card title="Annotations">
          <Polled polled={history} what="annotations">
            {(h) => <Annotations history={h} onAdded={history.refresh} />}
          </Polled>
        </Card>
        <Card title="Platform-reported scores">
          <Polled polled={history} what="gauges">
            {(h) => <Gauges history={h} />}
          </Polled>
        </Card>
      </div>
    </div>
  );
}
