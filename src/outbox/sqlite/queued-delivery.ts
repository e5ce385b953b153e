// A delivery waiting for its first try is a queue entry (migration 009), not a `deliveries` row, so it has no row
// id. It is named by the negative of its event row and its destination's number (both positive integers), which
// no autoincremented row id can be, and keeps that id when it gets a row (retried, refused, delivered, taken over):
// a delivery has one id for life. At most 1,024 destination numbers; event rows up to 2^43 stay within
// Number.MAX_SAFE_INTEGER. The view queued_deliveries (migration 009) computes the same id in SQL.

const DESTINATIONS = 1024;

export function queuedDeliveryId(eventRef: number, destinationNo: number): number {
  return -(eventRef * DESTINATIONS + destinationNo);
}

/** The queue entry a negative delivery id was born as (its row, once it has one, has the same id); undefined for a positive id. */
export function queuedDeliveryOf(deliveryId: number): { eventRef: number; destinationNo: number } | undefined {
  if (deliveryId >= 0) return undefined;
  const n = -deliveryId;
  return { eventRef: Math.floor(n / DESTINATIONS), destinationNo: n % DESTINATIONS };
}

export const MAX_DESTINATION_NUMBERS = DESTINATIONS;
