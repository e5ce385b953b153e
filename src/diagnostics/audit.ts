import { InputError } from '../errors.js';
import { parseCanonicalEvent } from '../event/parse.js';
import type { CanonicalEvent } from '../event/schema.js';
import { hashOnce } from '../identity/hash-once.js';
import type { IdentityOptions } from '../identity/types.js';
import type { CommonSettings } from '../platforms/types.js';
import { orderToEvent } from '../sources/shopify/order-to-event.js';
import type { ShopifyOrder } from '../sources/shopify/order.js';
import { readJsonRecords } from '../sources/file/json-records.js';
import { diagnose } from './diagnose.js';
import { scopeFromDestinations } from './scope.js';
import type { DiagnosticInput, DiagnosticsReport } from './types.js';

// `matchkey audit FILE`: the diagnostics of a file of canonical events or Shopify orders, offline — the same
// parse → hashOnce → per-platform build path as the gateway, with no server and no database.

export interface AuditOptions {
  destinations?: readonly CommonSettings[];
  /** Called per event read (the CLI's progress line). */
  onProgress?: (done: number, total: number) => void;
  identity: IdentityOptions;
  /** Unix seconds the events count as received at (age findings); default the current time. */
  nowSec: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A Shopify order (orders/paid payload or an Admin API export) rather than a canonical event: it has an `id` and
 * order fields, and no `event_name`.
 */
export function looksLikeShopifyOrder(raw: unknown): raw is ShopifyOrder {
  if (!isObject(raw) || 'event_name' in raw || !('id' in raw)) return false;
  return ['line_items', 'total_price', 'financial_status', 'order_number', 'processed_at'].some((k) => k in raw);
}

function toCanonical(raw: unknown, prefix: (string | number)[], defaultCountry: string | undefined): { event: CanonicalEvent; test: boolean; source: 'api' | 'shopify' } {
  if (!looksLikeShopifyOrder(raw)) return { event: parseCanonicalEvent(raw, prefix), test: false, source: 'api' };
  try {
    return { event: orderToEvent(raw, defaultCountry ? { defaultCountry } : {}), test: raw.test === true, source: 'shopify' };
  } catch (err) {
    // orderToEvent names a field of the purchase it built from the order; say so, under the order's index.
    if (!(err instanceof InputError)) throw err;
    const path = [...prefix, err.path].filter((p) => p !== '').join('.');
    const located = new InputError(path, '', err.code);
    located.message = `${path}: Shopify order maps to an invalid event (${err.message})`;
    throw located;
  }
}

/**
 * Reads the file's text (JSON object, JSON array or JSONL; canonical events and Shopify orders told apart by
 * shape) and diagnoses it. An event that fails validation stops the audit with an InputError naming
 * `<index>.<path>` (or the JSONL line): the gateway would refuse it with a 400 and never store it, so it has no
 * coverage or findings to report.
 */
export function auditText(text: string, source: string, opts: AuditOptions): DiagnosticsReport {
  const records = readJsonRecords(text, source);
  const inputs: DiagnosticInput[] = records.map(({ raw, prefix, line }, i) => {
    opts.onProgress?.(i + 1, records.length);
    try {
      const { event, test, source: leg } = toCanonical(raw, prefix, opts.identity.defaultCountry);
      return { event: hashOnce(event, { ...opts.identity, includeContact: true }), source: leg, test, seen_at: opts.nowSec };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      // The message names the file and, for JSONL (paths relative to the line), the line.
      err.message = `${source}${line !== undefined ? ` line ${line}` : ''}: ${err.message}`;
      throw err;
    }
  });
  const { dedup: _dedup, ...report } = diagnose(inputs, scopeFromDestinations(opts.destinations), { now: opts.nowSec });
  return report;
}
