import { InputError } from '../errors.js';
import type { CanonicalEventInputOutput } from './schema.js';

// What a canonical event must also satisfy to be accepted (docs/RELIABILITY.md "Attacks tried"), checked on both
// parse paths (fast-parse.ts and the schema) after validation:
// - identifiers hold no control character: a NUL cannot be stored by PostgreSQL (500 there, stored by SQLite), and
//   an invisible character makes two ids that look the same;
// - event_time is not in the future beyond clock skew (a year-2286 event would sit in every window);
// - money is a real amount: not negative (refunds are their own Shopify topic), not 1e308;
// - custom_data (free-form, passed on to platforms) is bounded in depth, keys and bytes: 9,000 levels once gave a
//   500 when stored and 2,100 levels broke every dashboard search.

/** How far ahead of the gateway's clock an event_time may be (a device's clock skew), in seconds. */
export const MAX_FUTURE_SKEW_S = 3600;
/** The largest value or item price accepted (a unit mistake or an overflow attempt above it). */
export const MAX_MONEY = 1e12;
export const CUSTOM_DATA_MAX_DEPTH = 8;
export const CUSTOM_DATA_MAX_KEYS = 256;
export const CUSTOM_DATA_MAX_BYTES = 16 * 1024;

const CONTROL = /[\u0000-\u001f\u007f]/;

function at(prefix: (string | number)[], ...rest: (string | number)[]): string {
  return [...prefix, ...rest].join('.');
}

export function assertNoControlCharacters(value: string | undefined, path: string): void {
  if (value !== undefined && CONTROL.test(value)) throw new InputError(path, 'control characters are not allowed in an identifier', 'control_character');
}

// The checks below take the path as its parts and join them only to report: a valid event (nearly all of them)
// builds no path string (they were ~8 joins per realistic purchase).
function assertNoControlAt(value: string | undefined, prefix: (string | number)[], ...rest: (string | number)[]): void {
  if (value !== undefined && CONTROL.test(value)) assertNoControlCharacters(value, at(prefix, ...rest));
}

function assertMoney(value: number | undefined, prefix: (string | number)[], ...rest: (string | number)[]): void {
  if (value === undefined) return;
  if (value < 0) throw new InputError(at(prefix, ...rest), 'expected an amount of 0 or more', 'negative_amount');
  if (value > MAX_MONEY) throw new InputError(at(prefix, ...rest), `expected an amount of at most ${MAX_MONEY}`, 'amount_too_large');
}

/** Depth, key count and size of custom_data, walked without recursion. */
function assertCustomData(data: Record<string, unknown>, path: string): void {
  let keys = 0;
  const stack: { value: unknown; depth: number }[] = [{ value: data, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > CUSTOM_DATA_MAX_DEPTH) throw new InputError(path, `nests deeper than ${CUSTOM_DATA_MAX_DEPTH} levels`, 'too_deep');
    const children = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value)) keys += children.length;
    if (keys > CUSTOM_DATA_MAX_KEYS) throw new InputError(path, `has more than ${CUSTOM_DATA_MAX_KEYS} keys`, 'too_many_keys');
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
  }
  if (Buffer.byteLength(JSON.stringify(data)) > CUSTOM_DATA_MAX_BYTES) {
    throw new InputError(path, `is larger than ${CUSTOM_DATA_MAX_BYTES} bytes as JSON`, 'too_large');
  }
}

export function assertEventLimits(input: CanonicalEventInputOutput, prefix: (string | number)[], nowMs = Date.now()): void {
  assertNoControlAt(input.event_id, prefix, 'event_id');
  assertNoControlAt(input.event_name, prefix, 'event_name');
  if (input.event_time > nowMs / 1000 + MAX_FUTURE_SKEW_S) {
    throw new InputError(at(prefix, 'event_time'), `is more than ${MAX_FUTURE_SKEW_S / 60} minutes in the future`, 'event_time_in_future');
  }
  const commerce = input.commerce;
  if (commerce) {
    assertNoControlAt(commerce.order_id, prefix, 'commerce', 'order_id');
    assertMoney(commerce.value, prefix, 'commerce', 'value');
    const items = commerce.items;
    if (items) {
      for (let i = 0; i < items.length; i++) {
        assertNoControlAt(items[i]!.id, prefix, 'commerce', 'items', i, 'id');
        assertMoney(items[i]!.price, prefix, 'commerce', 'items', i, 'price');
      }
    }
  }
  if (input.custom_data) assertCustomData(input.custom_data, at(prefix, 'custom_data'));
}
