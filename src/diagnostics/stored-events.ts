import type { PlainContact } from '../identity/types.js';
import type { CommonSettings } from '../platforms/types.js';
import type { OutboxStore, StoredEvent } from '../outbox/types.js';
import { diagnose } from './diagnose.js';
import { sampleStoredEvents } from './sample.js';
import { scopeFromDestinations } from './scope.js';
import type { DedupReport, DiagnosticInput, DiagnosticsReport } from './types.js';

export { MAX_DIAGNOSED_EVENTS } from './sample.js';

// Stand-ins for a stored event's contact fields: the raw values are sealed onto the Klaviyo delivery (or already
// deleted), but which fields existed is stored (`contact_fields`), and that is all coverage counts.
const CONTACT_STAND_IN: Required<Pick<PlainContact, 'email' | 'phone_number' | 'external_id' | 'first_name' | 'last_name'>> = {
  email: 'stored@contact.invalid',
  phone_number: '+10000000000',
  external_id: 'stored',
  first_name: 'stored',
  last_name: 'stored',
};

export function storedToInput(stored: StoredEvent): DiagnosticInput {
  let event = stored.event;
  if (!event.contact && event.contact_fields?.length) {
    const contact: PlainContact = {};
    for (const field of event.contact_fields) contact[field] = CONTACT_STAND_IN[field];
    event = { ...event, contact };
  }
  return { event, source: stored.source, test: stored.test, seen_at: Math.floor(stored.received_at / 1000) };
}

/**
 * Diagnostics over the events the gateway received in [from, to) (unix ms): every event of the window when it
 * holds at most MAX_DIAGNOSED_EVENTS, a sample by event_id over the whole window otherwise (`sample` says which;
 * counts are then the sample's).
 */
export async function diagnoseStored(
  store: Pick<OutboxStore, 'scanEvents' | 'countEvents'>,
  range: { from: number; to: number },
  config: { destinations: readonly CommonSettings[] },
  nowMs: number,
  opts: { maxEvents?: number } = {},
): Promise<DiagnosticsReport & { dedup: DedupReport }> {
  const { events, sample } = await sampleStoredEvents(store, range, opts);
  const inputs = events.map(storedToInput);
  events.length = 0;
  return { ...diagnose(inputs, scopeFromDestinations(config.destinations), { now: Math.floor(nowMs / 1000) }), sample };
}
