import type { PlainContact } from '../identity/types.js';
import type { CommonSettings } from '../platforms/types.js';
import type { OutboxStore, StoredEvent } from '../outbox/types.js';
import { diagnose } from './diagnose.js';
import { scopeFromDestinations } from './scope.js';
import type { DedupReport, DiagnosticInput, DiagnosticsReport } from './types.js';

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

/** Events read per diagnosis; beyond it the report says `truncated` (the oldest events of the window are used). */
export const MAX_DIAGNOSED_EVENTS = 100_000;

/** Diagnostics over the events the gateway received in [from, to) (unix ms). */
export async function diagnoseStored(
  store: Pick<OutboxStore, 'listEvents'>,
  range: { from: number; to: number },
  config: { destinations: readonly CommonSettings[] },
  nowMs: number,
): Promise<DiagnosticsReport & { dedup: DedupReport }> {
  const stored = await store.listEvents({ ...range, limit: MAX_DIAGNOSED_EVENTS });
  const report = diagnose(stored.map(storedToInput), scopeFromDestinations(config.destinations), { now: Math.floor(nowMs / 1000) });
  return stored.length >= MAX_DIAGNOSED_EVENTS ? { ...report, truncated: true } : report;
}
