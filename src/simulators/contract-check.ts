import type { RequestContract } from '../platforms/contract/request-contract.js';
import type { HandleContext } from './types.js';

// The first thing wrong with a request, for simulators of platforms that answer for a request as a whole
// (Snapchat, Microsoft UET, Reddit): a break of the platform's request contract, else an event the
// `reject_events` switch refuses. `path` is dotted (`data.1.user_data.em`).

export interface RequestProblem {
  path: string;
  message: string;
}

export function firstProblem(contract: RequestContract, body: unknown, eventIds: (string | undefined)[], eventsPath: string, ctx: HandleContext): RequestProblem | null {
  const violations = contract.check(body);
  if (violations.length > 0) return { path: violations[0]!.path, message: violations[0]!.message };
  if (ctx.rejectEvent) {
    const bad = eventIds.findIndex((id) => ctx.rejectEvent!(id));
    if (bad >= 0) return { path: `${eventsPath}.${bad}`, message: 'The event was rejected by the simulator (reject_events).' };
  }
  return null;
}
