import { BATCH_PLATFORMS, freePort, type GatewayProcess } from '../bench/lib/gateway.js';
import { startObservedSimulators } from './lib/observed-simulators.js';
import { chaosGateway, Outcome, runAlone, scratch, sleep, waitUntil, type ScenarioOptions, type ScenarioResult } from './lib/scenario.js';
import { auditDeliveries, purchase, streamEvents } from './lib/stream.js';

// Scenario 1: SIGKILL the gateway at random moments while events stream in, restarting it each time.
// Promise: every acknowledged event reaches every destination (checked at the simulators by event_id); a
// platform may receive an event twice only with the same event_id (a batch sent just before the kill, whose
// completion never committed) — counted. A restarted SQLite gateway takes over a killed one's leased rows at once.

export interface KillOptions extends ScenarioOptions {
  kills?: number;
  events?: number;
}

export async function runKill(o: KillOptions): Promise<ScenarioResult> {
  const kills = o.kills ?? (o.short ? 5 : 30);
  const events = o.events ?? (o.short ? 5_000 : 100_000);
  const out = new Outcome('kill', `SIGKILL ×${kills} while ${events.toLocaleString('en-US')} events stream in`);
  const log = o.log ?? (() => undefined);
  const sim = await startObservedSimulators();
  const { dir, remove } = scratch('kill');
  let gateway: GatewayProcess | undefined;
  try {
    const port = await freePort();
    const gw = chaosGateway({ dir, simUrl: sim.url, platforms: BATCH_PLATFORMS, port, logLevel: 'warn' });
    gateway = await gw.start();
    const url = gateway.url;
    // Paced so that the stream outlasts the kills: each kill costs a restart (~1–2 s of node + tsx start-up).
    const streamSeconds = Math.max(15, kills * 3);
    const run = `k${Date.now().toString(36)}`;
    const stream = streamEvents({
      url,
      total: events,
      lanes: 8,
      maxBatch: 10,
      ratePerSec: events / streamSeconds,
      idOf: (n) => `${run}_${n}`,
      makeEvent: (id) => purchase(id),
      deadlineMs: streamSeconds * 1000 + 10 * 60_000,
    });
    let killed = 0;
    let unexpectedExits = 0;
    let lastKillAt = 0;
    const restartsMs: number[] = [];
    const killer = (async () => {
      const gap = (streamSeconds * 1000) / (kills + 1);
      for (let k = 0; k < kills; k++) {
        await sleep(200 + Math.random() * Math.max(200, gap - 1500));
        if (!gateway!.isRunning()) unexpectedExits++;
        await gateway!.kill();
        killed++;
        lastKillAt = Date.now();
        const s = performance.now();
        gateway = await gw.start();
        restartsMs.push(performance.now() - s);
      }
    })();
    const [report] = await Promise.all([stream, killer]);
    log(`  stream done: ${report.acked.size} acknowledged, ${report.retries} retries; ${killed} kills`);

    // Bounded wait: leased rows of a killed process return at once on SQLite (owner file), else after one lease (60 s).
    const platforms = BATCH_PLATFORMS;
    const allIn = (): boolean => platforms.every((p) => [...report.acked].every((id) => sim.accepted[p].has(id)));
    const delivered = await waitUntil(allIn, 180_000, 1000);
    const fullyDeliveredAfterLastKillS = (Date.now() - lastKillAt) / 1000;
    if (!gateway.isRunning()) unexpectedExits++;

    out.figure('events streamed', events);
    out.figure('acknowledged', report.acked.size);
    out.figure('SIGKILLs (each followed by a restart)', killed);
    out.figure('restart time, median', `${Math.round(restartsMs.sort((a, b) => a - b)[Math.floor(restartsMs.length / 2)] ?? 0)} ms`);
    out.figure('client re-sends of unacknowledged batches', report.retries);
    out.figure('seconds from last kill to everything delivered', delivered ? fullyDeliveredAfterLastKillS.toFixed(0) : 'not delivered');
    for (const p of platforms) {
      const a = auditDeliveries(report.acked, report.sentIds, sim.accepted[p]);
      out.figure(`${p}: acknowledged lost`, a.lost.length);
      out.figure(`${p}: events sent twice or more (same event_id)`, `${a.duplicatedIds} (${a.extraSends} extra sends)`);
      out.expect(a.lost.length === 0, `${p}: ${a.lost.length} acknowledged events never accepted (e.g. ${a.lost.slice(0, 3).join(', ')})`);
      out.expect(a.foreign.length === 0, `${p}: ${a.foreign.length} accepted ids that were never sent (e.g. ${a.foreign.slice(0, 3).join(', ')})`);
    }
    out.expect(report.completed, `the stream did not complete: ${report.acked.size}/${report.sentIds.size} acknowledged, statuses ${JSON.stringify(report.statuses)}`);
    out.expect(report.refused === 0, `${report.refused} valid batches refused with a 4xx (statuses ${JSON.stringify(report.statuses)})`);
    out.expect(unexpectedExits === 0, `the gateway exited ${unexpectedExits} time(s) without being killed`);
    out.expect(killed === kills, `only ${killed} of ${kills} kills happened`);
    return out.result();
  } finally {
    await gateway?.kill();
    await sim.close();
    if (!o.keep) remove();
  }
}

await runAlone(import.meta.url, runKill);
