import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../simulators/server.js';

// What every reporting- and quality-API read test needs: the built-in simulators on loopback, the control they read
// reset before each test, and a fetch that records what was sent.

export interface ControlledSimulators {
  /** The simulators' base URL (the destinations' `base_url`), once they run. */
  readonly url: string;
  /** POSTs `body` to the control, telling the simulated APIs what to answer. */
  set(body: unknown): Promise<Response>;
}

/**
 * Starts the simulators for the calling test file (vitest hooks) and resets one of their controls before each test:
 * `/_sim/attributed` (the reporting APIs, src/simulators/attributed.ts) or `/_sim/quality` (the quality reads,
 * src/simulators/quality.ts).
 */
export function useControlledSimulators(control: '/_sim/attributed' | '/_sim/quality'): ControlledSimulators {
  let sim: RunningSimulators | undefined;
  beforeAll(async () => {
    sim = await startSimulators();
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(async () => {
    await fetch(`${sim!.url}${control}`, { method: 'DELETE' });
  });
  return {
    get url() {
      return sim!.url;
    },
    set: (body) => fetch(`${sim!.url}${control}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  };
}

export interface SentRequest {
  url: URL;
  headers: Headers;
  body: string;
}

/** A fetch that passes every request on and keeps its URL, headers and body for the test to compare. */
export function recordingFetch(): { sent: SentRequest[]; fetchFn: typeof fetch } {
  const sent: SentRequest[] = [];
  return {
    sent,
    fetchFn: (input, init) => {
      sent.push({ url: new URL(String(input)), headers: new Headers(init?.headers), body: String(init?.body ?? '') });
      return fetch(input, init);
    },
  };
}
