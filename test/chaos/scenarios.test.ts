import { describe, expect, it } from 'vitest';
import { runCanaryPii } from '../../chaos/canary-pii.js';
import { runForgedWebhooks } from '../../chaos/forged-webhooks.js';
import { runKill } from '../../chaos/kill.js';
import { runMalformed } from '../../chaos/malformed.js';
import { runRateLimit } from '../../chaos/rate-limit.js';
import type { ScenarioResult } from '../../chaos/lib/scenario.js';

// The short CI version of the chaos scenarios 1, 3, 4, 5 and 6 (docs/RELIABILITY.md): real `matchkey serve` processes
// on SQLite, real HTTP on loopback, the simulators. Scaled down to fit CI; `npm run chaos` runs the full counts. Each
// scenario returns its broken promises in `failures`; the assertion shows them all at once.

function holds(r: ScenarioResult): void {
  expect(r.failures, `${r.title}: ${JSON.stringify(r.figures)}`).toEqual([]);
  expect(r.ok).toBe(true);
}

describe.concurrent('chaos (short)', () => {
  it('1: SIGKILL ×5 over 5,000 streamed events loses no acknowledged event', { timeout: 240_000 }, async () => {
    const r = await runKill({ short: true, kills: 5, events: 5_000 });
    holds(r);
    expect(r.figures['acknowledged']).toBe(5_000);
  });

  it('3: 429 with Retry-After: nothing sent before a deadline, all delivered after', { timeout: 180_000 }, async () => {
    holds(await runRateLimit({ short: true }));
  });

  it('4: 2,000 malformed inputs each get a 4xx JSON error; no crash, bounded memory', { timeout: 120_000 }, async () => {
    holds(await runMalformed({ short: true, inputs: 2_000 }));
  });

  it('5: 1,000 forged Shopify webhooks refused or absorbed, every valid one accepted once', { timeout: 120_000 }, async () => {
    const r = await runForgedWebhooks({ short: true, forged: 1_000, valid: 50 });
    holds(r);
    expect(r.figures['orders delivered twice']).toBe(0);
  });

  it('6: canary PII never reaches the database files or the log', { timeout: 240_000 }, async () => {
    const r = await runCanaryPii({ short: true, events: 200 });
    holds(r);
    expect(r.figures['canary occurrences on disk and in the log']).toBe(0);
  });
});
