import { hash } from 'node:crypto';
import type { HashedEvent, HashedUser } from '../../src/identity/types.js';
import type { DiagnosticInput } from '../../src/diagnostics/types.js';
import type { EventSource } from '../../src/outbox/types.js';

// Hand-built HashedEvents for diagnostics tests that do not go through the identity pass.

export const sha = (s: string): string => hash('sha256', s, 'hex');

/** 2026-11-20T00:00:00Z */
export const T0 = 1_795_132_800;

export function hashedEvent(overrides: Partial<Omit<HashedEvent, 'user'>> & { user?: HashedUser } = {}): HashedEvent {
  return {
    event_id: 'e1',
    event_id_source: 'given',
    event_name: 'purchase',
    event_time: T0,
    action_source: 'website',
    event_source_url: 'https://shop.example/thanks',
    user: {},
    commerce: { value: 10, currency: 'USD', order_id: '1' },
    consent: { marketing: true, limited_data_use: false },
    findings: [],
    ...overrides,
  };
}

export function input(event: HashedEvent, opts: { source?: EventSource; test?: boolean; seen_at?: number } = {}): DiagnosticInput {
  return { event, source: opts.source ?? 'api', test: opts.test ?? false, seen_at: opts.seen_at ?? event.event_time + 5 };
}
