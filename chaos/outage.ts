import { type GatewayProcess } from '../bench/lib/gateway.js';
import { maxInWindow } from '../bench/lib/stats.js';
import { startObservedSimulators } from './lib/observed-simulators.js';
import { chaosGateway, Outcome, runAlone, scratch, sleep, waitUntil, type ScenarioOptions, type ScenarioResult } from './lib/scenario.js';
import { auditDeliveries, purchase, streamEvents } from './lib/stream.js';

// Scenario 2: Meta answers 503 for 5 minutes (short: 30 s) while TikTok stays healthy. Promises: everything reaches
// Meta after it recovers; meanwhile at most 1 request/s to it; no busy CPU (the gateway's CPU time over the outage,
// measured once the events are in).

/** Arrivals this close after the first failed request were sent before its answer came back. */
const IN_FLIGHT_MS = 100;

export async function runOutage(o: ScenarioOptions): Promise<ScenarioResult> {
  const outageMs = o.short ? 30_000 : 300_000;
  const events = o.short ? 2_000 : 10_000;
  const out = new Outcome('outage', `Meta answers 5xx for ${outageMs / 1000} s with ${events.toLocaleString('en-US')} events pending`);
  const sim = await startObservedSimulators();
  const { dir, remove } = scratch('outage');
  let gateway: GatewayProcess | undefined;
  try {
    gateway = await chaosGateway({ dir, simUrl: sim.url, platforms: ['meta', 'tiktok'] }).start();
    const start = Date.now();
    const end = start + outageMs;
    await sim.behaviour({ platform: 'meta', mode: 'server_error', until_ms: end });
    const run = `o${Date.now().toString(36)}`;
    const report = await streamEvents({ url: gateway.url, total: events, lanes: 4, maxBatch: 100, ratePerSec: events / 3, idOf: (n) => `${run}_${n}`, makeEvent: (id) => purchase(id), deadlineMs: 60_000 });
    const cpuFrom = Date.now();
    const cpu0 = gateway.cpuMs();
    await sleep(Math.max(0, end - Date.now() - 500));
    const cpuMs = gateway.cpuMs() - cpu0;
    const cpuWallMs = Date.now() - cpuFrom;
    const recovered = await waitUntil(() => [...report.acked].every((id) => sim.accepted.meta.has(id)), 15 * 60_000, 500);
    const recoverySeconds = (Date.now() - end) / 1000;

    const during = sim.requests.filter((r) => r.platform === 'meta' && r.at >= start && r.at < end).map((r) => r.at);
    // Requests already on their way when the first failure was answered (the worker keeps up to 3 batches in
    // flight) cannot have known of the outage; the promise is about what the gateway sends once it knows.
    const discovered = during.length > 0 ? during[0]! + IN_FLIGHT_MS : end;
    const inFlightAtDiscovery = during.filter((at) => at <= discovered).length;
    const knowing = during.filter((at) => at > discovered);
    // After the first minute the backoff of the failing rows dominates; the first seconds see every row's first retries.
    const settled = during.filter((at) => at >= start + Math.min(60_000, outageMs / 3));
    const audit = auditDeliveries(report.acked, report.sentIds, sim.accepted.meta);
    out.figure('events acknowledged', report.acked.size);
    out.figure('requests to Meta during the outage', `${during.length} (${(during.length / (outageMs / 1000)).toFixed(2)}/s on average)`);
    out.figure('busiest second / busiest 10 s during the outage', `${maxInWindow(during, 1000)} / ${maxInWindow(during, 10_000)}`);
    out.figure('requests already in flight when the first failure answered', inFlightAtDiscovery);
    out.figure('busiest second once the gateway knew', maxInWindow(knowing, 1000));
    out.figure('requests/s after the first third of the outage (or minute)', (settled.length / ((end - (start + Math.min(60_000, outageMs / 3))) / 1000)).toFixed(2));
    out.figure('gateway CPU during the outage', `${cpuMs} ms over ${(cpuWallMs / 1000).toFixed(0)} s (${((cpuMs / cpuWallMs) * 100).toFixed(1)} % of one core)`);
    out.figure('seconds from recovery to everything delivered', recovered ? recoverySeconds.toFixed(0) : 'not delivered');
    out.figure('Meta: acknowledged lost / delivered twice', `${audit.lost.length} / ${audit.duplicatedIds}`);
    out.figure('TikTok (healthy) delivered', `${report.acked.size - auditDeliveries(report.acked, report.sentIds, sim.accepted.tiktok).lost.length}/${report.acked.size}`);
    out.expect(recovered && audit.lost.length === 0, `${audit.lost.length} events not delivered to Meta ${recoverySeconds.toFixed(0)} s after it recovered`);
    out.expect(maxInWindow(knowing, 1000) <= 1, `up to ${maxInWindow(knowing, 1000)} requests in one second to the failing platform once the gateway knew (promise: at most 1/s)`);
    out.expect(cpuMs / cpuWallMs < 0.05, `the gateway used ${((cpuMs / cpuWallMs) * 100).toFixed(1)} % of a core while the platform was down`);
    return out.result();
  } finally {
    await gateway?.stop();
    await sim.close();
    if (!o.keep) remove();
  }
}

await runAlone(import.meta.url, runOutage);
