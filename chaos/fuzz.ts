import { fuzzPostRoutes } from './lib/fuzz.js';
import { Outcome, runAlone, type ScenarioOptions, type ScenarioResult } from './lib/scenario.js';
import { startTarget, STORES } from '../test/hardening/target.js';

// Scenario 8: the fuzz suite at scale (chaos/lib/fuzz.ts; `npm test` runs it with 150 inputs per store). fast-check
// over raw bytes and JSON against every POST route, on SQLite and on PostgreSQL. Promise: no 5xx, no crash, nothing
// stored from a refused request, and a real order stored first is delivered once, as its own server copy.

export async function runFuzz(o: ScenarioOptions & { runs?: number }): Promise<ScenarioResult> {
  const runs = o.runs ?? (o.short ? 1_000 : 5_000);
  const out = new Outcome('fuzz', `${runs.toLocaleString('en-US')} generated requests per store to every POST route`);
  for (const kind of STORES) {
    const target = await startTarget(kind);
    try {
      const report = await fuzzPostRoutes(target, runs);
      out.figure(`${kind}: requests`, report.runs);
      out.figure(`${kind}: answers by class`, Object.entries(report.byStatus).sort().map(([k, v]) => `${k} ${v}`).join(', '));
      out.figure(`${kind}: refused (4xx)`, report.refused);
      for (const f of report.failures) out.expect(false, `${kind}: ${f}`);
    } finally {
      await target.close();
    }
  }
  return out.result();
}

await runAlone(import.meta.url, runFuzz);
