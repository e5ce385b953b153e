import { canonicalEventInputSchema, formatIssue, type CanonicalEvent } from './schema.js';
import { resolveEventId } from './event-id.js';

/**
 * Validates one canonical event and resolves its defaults. Throws `InputError` naming the first bad field;
 * `pathPrefix` places the path inside a batch (`events.3.user.email`).
 */
export function parseCanonicalEvent(raw: unknown, pathPrefix: (string | number)[] = []): CanonicalEvent {
  const parsed = canonicalEventInputSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw first ? formatIssue(first, pathPrefix) : new Error('invalid event');
  }
  const input = parsed.data;
  const { event_id, event_id_source } = resolveEventId({
    event_id: input.event_id,
    event_name: input.event_name,
    order_id: input.commerce?.order_id,
  });
  return {
    ...input,
    event_id,
    event_id_source,
    action_source: input.action_source ?? 'website',
    user: input.user ?? {},
    consent: {
      marketing: input.consent?.marketing ?? true,
      limited_data_use: input.consent?.limited_data_use ?? false,
    },
  };
}
