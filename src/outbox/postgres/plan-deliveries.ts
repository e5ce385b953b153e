import type { EventSource } from '../types.js';

// The PostgreSQL ingest writes a whole batch (several items, several coalesced calls) in one statement, where every
// row sees the same snapshot. The SQLite store instead applies items one after the other: the first delivery of a
// (destination_id, event_id) creates the row, a later one is absorbed, except that a non-browser event takes over a
// row a browser event holds, whatever its state (docs/BROWSER.md "One server copy per (destination, event_id)"). This folds a batch's deliveries per key into what that sequence would leave, so the
// statement writes one row per key and both stores end in the same state.

export interface DeliveryCandidate {
  /** `${destination_id}\0${event_id}`. */
  key: string;
  /** The item (index in the batch) the delivery belongs to. */
  item: number;
  source: EventSource;
  status: 'pending' | 'skipped';
  skip_reason: string | null;
}

export interface DeliveryPlan<C extends DeliveryCandidate> {
  /** The row to insert when the key has none yet. */
  insert: C;
  /** The items credited with a created delivery when it is inserted (the first, then each take-over in the batch). */
  insertCredits: number[];
  /**
   * When the key already has a row (another call stored it): the plan taking it over if a browser event holds it, i.e.
   * the batch's first non-browser delivery folded with those after it. Absent when only browser events ask.
   */
  takeOver?: C;
  takeOverCredits: number[];
}

/** Whether `next`, arriving after `current`, takes its row over (the SQLite store's take-over-browser-delivery). */
export function takesOver(current: Pick<DeliveryCandidate, 'source'>, next: Pick<DeliveryCandidate, 'source'>): boolean {
  return next.source !== 'browser' && current.source === 'browser';
}

/** The candidates that successively own the row when `sequence` is applied in order to a key without a row. */
function fold<C extends DeliveryCandidate>(sequence: C[]): C[] {
  const owners = [sequence[0]!];
  for (const next of sequence.slice(1)) if (takesOver(owners.at(-1)!, next)) owners.push(next);
  return owners;
}

/** One plan per key, in the order keys first appear. */
export function planDeliveries<C extends DeliveryCandidate>(candidates: C[]): DeliveryPlan<C>[] {
  const byKey = new Map<string, C[]>();
  for (const c of candidates) {
    const list = byKey.get(c.key);
    if (list) list.push(c);
    else byKey.set(c.key, [c]);
  }
  const plans: DeliveryPlan<C>[] = [];
  for (const sequence of byKey.values()) {
    const inserted = fold(sequence);
    const plan: DeliveryPlan<C> = { insert: inserted.at(-1)!, insertCredits: inserted.map((c) => c.item), takeOverCredits: [] };
    // An existing browser row is taken over by the first non-browser delivery; browser ones before it are absorbed.
    const firstServer = sequence.findIndex((c) => c.source !== 'browser');
    if (firstServer >= 0) {
      const taking = fold(sequence.slice(firstServer));
      plan.takeOver = taking.at(-1)!;
      plan.takeOverCredits = taking.map((c) => c.item);
    }
    plans.push(plan);
  }
  return plans;
}
