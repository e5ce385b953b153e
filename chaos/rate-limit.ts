import { BATCH_PLATFORMS, type GatewayProcess } from '../bench/lib/gateway.js';
import { sentBeforeDeadline, sentRequests } from './lib/attempts.js';
import { startObservedSimulators } from './lib/observed-simulators.js';
import { chaosGateway, Outcome, runAlone, scratch, waitUntil, type ScenarioOptions, type ScenarioResult } from './lib/scenario.js';
import { auditDeliveries, purchase, streamEvents } from './lib/stream.js';

// Scenario 3: every platform answers 429 with Retry-After for a while, events streaming in meanwhile.
// Promise: zero requests before each deadline (the simulators time every 429 and flag any request on that platform
// arriving before its Retry-After has passed), and everything delivered once the limit lifts.

export async function runRateLimit(o: ScenarioOptions): Promise<ScenarioResult> {
  const limitedMs = o.short ? 8_000 : 60_000;
  const events = o.short ? 3_000 : 20_000;
  const out = new Outcome('rate-limit', `429 + Retry-After on every platform for ${limitedMs / 1000} s while ${events.toLocaleString('en-US')} events arrive`);
  const sim = await startObservedSimulators();
  const { dir, remove } = scratch('429');
  let gateway: GatewayProcess | undefined;
  try {
    const gw = chaosGateway({ dir, simUrl: sim.url, platforms: BATCH_PLATFORMS });
    gateway = await gw.start();
    const until = Date.now() + limitedMs;
    // Different Retry-After per platform, so one platform's pause cannot hide another's early request.
    const retryAfter: Record<string, number> = { meta: 2, tiktok: 3, pinterest: 5 };
    for (const p of BATCH_PLATFORMS) await sim.behaviour({ platform: p, mode: 'rate_limit', retry_after_s: retryAfter[p], until_ms: until });
    const run = `r${Date.now().toString(36)}`;
    const report = await streamEvents({
      url: gateway.url,
      total: events,
      lanes: 4,
      maxBatch: 20,
      ratePerSec: events / (limitedMs / 1000 + 2),
      idOf: (n) => `${run}_${n}`,
      makeEvent: (id) => purchase(id),
      deadlineMs: limitedMs + 120_000,
    });
    const delivered = await waitUntil(() => BATCH_PLATFORMS.every((p) => [...report.acked].every((id) => sim.accepted[p].has(id))), 120_000, 500);
    await gateway.stop();
    const sent = sentRequests(gw.dbPath);
    out.figure('events', events);
    out.figure('acknowledged', report.acked.size);
    for (const p of BATCH_PLATFORMS) {
      const t = sim.timeline(p);
      // Our own check over the simulator's timeline: no request between a 429's arrival and its deadline.
      // Arrivals before a deadline, as the simulator sees them: requests already on the wire when the 429 was
      // answered (the worker keeps up to 3 batches in flight) arrive a few ms after it.
      const earlyGaps = t.request_times_ms.flatMap((at) => t.rate_limits.filter((rl) => at > rl.at_ms && at < rl.not_before_ms).map((rl) => at - rl.at_ms));
      // The promise, from the gateway's own attempt log: nothing SENT after a 429's answer and before its deadline.
      const violations = sentBeforeDeadline(sent, p, retryAfter[p]!);
      out.figure(`${p}: 429s answered (Retry-After ${retryAfter[p]} s)`, t.rate_limits.length);
      out.figure(`${p}: requests sent after a 429's answer, before its deadline`, violations.length);
      out.figure(`${p}: arrivals before a deadline of requests already in flight`, earlyGaps.length ? `${earlyGaps.length} (${Math.max(...earlyGaps)} ms after the 429 at most)` : 0);
      out.expect(t.rate_limits.length > 0, `${p}: the rate limit was never hit (the scenario did not test anything)`);
      out.expect(violations.length === 0, `${p}: ${violations.length} requests sent before a Retry-After deadline (first at +${violations[0] ? violations[0].sentAt : 0} ms epoch)`);
      const a = auditDeliveries(report.acked, report.sentIds, sim.accepted[p]);
      out.expect(a.lost.length === 0, `${p}: ${a.lost.length} acknowledged events not delivered after the limit lifted`);
      out.figure(`${p}: delivered after the limit lifted`, `${report.acked.size - a.lost.length}/${report.acked.size}`);
    }
    out.expect(delivered, 'not everything was delivered within 120 s of the end of the stream');
    out.expect(report.completed, `the stream did not complete (${JSON.stringify(report.statuses)})`);
    return out.result();
  } finally {
    await gateway?.stop();
    await sim.close();
    if (!o.keep) remove();
  }
}

await runAlone(import.meta.url, runRateLimit);
