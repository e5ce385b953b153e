import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSimulators, type RunningSimulators } from '../../simulators/server.js';

// What every reporting-API read test needs: the built-in simulators on loopback, their attributed report reset
// before each test (src/simulators/attributed.ts, `/_sim/attributed`), and a fetch that records what was sent.

export interface AttributedSimulators {
  /** The simulators' base URL (the destinations' `base_url`), once they run. */
  readonly url: string;
  /** Tells the simulated reporting APIs what to answer. */
  setReport(body: unknown): Promise<Response>;
}

/** Starts the simulators for the calling test file (vitest hooks) and resets their report before each test. */
export function useAttributedSimulators(): AttributedSimulators {
  let sim: RunningSimulators | undefined;
  beforeAll(async () => {
    sim = await startSimulators();
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(async () => {
    await fetch(`${sim!.url}/_sim/attributed`, { method: 'DELETE' });
  });
  return {
    get url() {
      return sim!.url;
    },
    setReport: (body) => fetch(`${sim!.url}/_sim/attributed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
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
