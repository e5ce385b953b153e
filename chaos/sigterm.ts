import { BATCH_PLATFORMS, freePort, type GatewayProcess } from '../bench/lib/gateway.js';
import { startObservedSimulators } from './lib/observed-simulators.js';
import { chaosGateway, Outcome, runAlone, scratch, sleep, waitUntil, type ScenarioOptions, type ScenarioResult } from './lib/scenario.js';
import { auditDeliveries, purchase, streamEvents } from './lib/stream.js';

// Scenario 7: SIGTERM under load, several times, restarting each time. Promises: every acknowledged event is
// delivered, none is sent twice (a drain finishes in-flight sends and releases unsent claims), and each
// SIGTERM ends in exit code 0 (503 to new events meanwhile; the client re-sends them to the next process).

export async function runSigterm(o: ScenarioOptions): Promise<ScenarioResult> {
  const stops = o.short ? 2 : 5;
  const events = o.short ? 5_000 : 30_000;
  const out = new Outcome('sigterm', `SIGTERM ×${stops} under load, ${events.toLocaleString('en-US')} events`);
  const sim = await startObservedSimulators();
  const { dir, remove } = scratch('sigterm');
  let gateway: GatewayProcess | undefined;
  try {
    const gw = chaosGateway({ dir, simUrl: sim.url, platforms: BATCH_PLATFORMS, port: await freePort() });
    gateway = await gw.start();
    const streamSeconds = stops * 6;
    const run = `t${Date.now().toString(36)}`;
    const stream = streamEvents({ url: gateway.url, total: events, lanes: 8, maxBatch: 10, ratePerSec: events / streamSeconds, idOf: (n) => `${run}_${n}`, makeEvent: (id) => purchase(id), deadlineMs: streamSeconds * 1000 + 5 * 60_000 });
    const exits: string[] = [];
    const drainMs: number[] = [];
    const stopper = (async () => {
      for (let k = 0; k < stops; k++) {
        await sleep(2000 + Math.random() * 2000);
        const s = performance.now();
        const exit = await gateway!.stop(60_000);
        drainMs.push(performance.now() - s);
        exits.push(exit.signal ? exit.signal : String(exit.code));
        gateway = await gw.start();
      }
    })();
    const [report] = await Promise.all([stream, stopper]);
    const delivered = await waitUntil(() => BATCH_PLATFORMS.every((p) => [...report.acked].every((id) => sim.accepted[p].has(id))), 120_000, 500);
    out.figure('events acknowledged', report.acked.size);
    out.figure('SIGTERMs and exit codes', exits.join(', '));
    out.figure('drain time (SIGTERM to exit), max', `${Math.round(Math.max(...drainMs))} ms`);
    out.figure('503 answers while draining (re-sent by the client)', report.statuses['503'] ?? 0);
    for (const p of BATCH_PLATFORMS) {
      const a = auditDeliveries(report.acked, report.sentIds, sim.accepted[p]);
      out.figure(`${p}: acknowledged lost / sent twice`, `${a.lost.length} / ${a.duplicatedIds}`);
      out.expect(a.lost.length === 0, `${p}: ${a.lost.length} acknowledged events lost`);
      out.expect(a.duplicatedIds === 0, `${p}: ${a.duplicatedIds} events sent twice`);
    }
    out.expect(delivered, 'not everything was delivered within 120 s');
    out.expect(exits.every((e) => e === '0'), `exits after SIGTERM: ${exits.join(', ')} (expected 0)`);
    out.expect(report.completed, `the stream did not complete (${JSON.stringify(report.statuses)})`);
    return out.result();
  } finally {
    await gateway?.kill();
    await sim.close();
    if (!o.keep) remove();
  }
}

await runAlone(import.meta.url, runSigterm);
