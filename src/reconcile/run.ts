import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputError } from '../errors.js';
import { PLATFORM_NAMES, type PlatformName } from '../event/names.js';
import type { OutboxStore } from '../outbox/types.js';
import { readAttributedCsv } from './attributed/csv.js';
import { rowsOf, type AttributedPullResult } from './attributed/pulled.js';
import { addDays, DAY_MS, parseIsoDate, startOfDay, utcDate } from './dates.js';
import { DeliveryOutcomeFold, paidEventIdsOf } from './delivery.js';
import { ordersFromRecords } from './orders/internal.js';
import { ordersInWindow, type OrdersInWindow } from './orders/summary.js';
import { readShopifyOrdersCsv } from './orders/shopify-csv.js';
import { readShopifyOrdersJson } from './orders/shopify-json.js';
import { buildReport, validateWindow, windowRange, type ReconcileReport } from './report.js';
import type { AttributedRow, AttributionWindow, OrderOfRecord, ReconcileWindow } from './types.js';

// The glue shared by `matchkey reconcile` and the admin API: read the sources, build the report.

/** Days in the default window (ending the day before as_of). */
export const DEFAULT_WINDOW_DAYS = 30;

/**
 * Resolves the window: `as_of` defaults to today (UTC), `to` to the day before `as_of` (today is not over), `from`
 * to 30 days ending at `to`. Every date is checked; `flag` names the option in errors.
 */
export function resolveWindow(
  given: { from?: string | undefined; to?: string | undefined; as_of?: string | undefined },
  now: number = Date.now(),
  flag: (name: 'from' | 'to' | 'as_of') => string = (n) => (n === 'as_of' ? '--as-of' : `--${n}`),
): ReconcileWindow {
  const asOf = given.as_of ? parseIsoDate(given.as_of, flag('as_of')) : utcDate(now);
  const to = given.to ? parseIsoDate(given.to, flag('to')) : addDays(asOf, -1);
  const from = given.from ? parseIsoDate(given.from, flag('from')) : addDays(to, -(DEFAULT_WINDOW_DAYS - 1));
  const window = { from, to, as_of: asOf };
  validateWindow(window);
  return window;
}

export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be read';
    throw new InputError(path, why, 'file_unreadable');
  }
}

export type OrdersFormat = 'csv' | 'json';

/** `.csv` → the Shopify export; `.json`/`.jsonl`/`.ndjson` → order objects; otherwise sniffed from the first character. */
export function detectOrdersFormat(path: string, text: string): OrdersFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.json' || ext === '.jsonl' || ext === '.ndjson') return 'json';
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'csv';
}

export function readOrdersText(text: string, source: string, format: OrdersFormat): OrderOfRecord[] {
  return format === 'csv' ? readShopifyOrdersCsv(text, source) : readShopifyOrdersJson(text, source);
}

export interface AttributedSource {
  /** File path or a name for messages (`request body`). */
  name: string;
  text: string;
  platform?: PlatformName;
}

/** `meta=exports/meta.csv` → platform and path; a plain path has no platform. */
export function splitAttributedArg(arg: string): { path: string; platform?: PlatformName } {
  const eq = arg.indexOf('=');
  if (eq > 0) {
    const p = arg.slice(0, eq).toLowerCase();
    if ((PLATFORM_NAMES as readonly string[]).includes(p)) return { path: arg.slice(eq + 1), platform: p as PlatformName };
  }
  return { path: arg };
}

/** What reconciliation reads from a store: the gateway's store, or a read-only reader of it (src/outbox/event-scan.ts). */
export type ReconcileStore = Pick<OutboxStore, 'listOrders' | 'deliveryOutcomes' | 'forEachDeliveryOutcome'>;

/** A reconciliation whose store is already chosen: the gateway's runs in its read thread (diagnose-in-thread.ts). */
export type Reconciler = (input: Omit<ReconcileInput, 'store'>) => Promise<ReconcileReport>;

export interface ReconcileInput {
  window: ReconcileWindow;
  /** Orders read from a file, or 'internal' for the store's order log. */
  orders: { source: string; orders: OrderOfRecord[] } | 'internal';
  attributed: AttributedSource[];
  /** `--platform`: the platform of attributed files that do not say. */
  platform?: PlatformName;
  windows?: Partial<Record<PlatformName, AttributionWindow>>;
  /** The store, or a read-only reader of it: the delivery side, and the orders when `orders` is 'internal'. */
  store?: ReconcileStore;
  /** Platforms of the configured destinations (reported even with no deliveries). */
  delivery_platforms?: PlatformName[];
  /** `--attributed platforms`: what the platforms' reporting APIs answered (reconcile/attributed/pull.ts). */
  pulled?: AttributedPullResult;
}

/** `--attributed platforms` (the CLI) / `attributed=platforms` (the admin API): read the platforms' reporting APIs. */
export const PULL_ATTRIBUTED = 'platforms';

export async function reconcile(input: ReconcileInput): Promise<ReconcileReport> {
  const notes: string[] = [];
  const rows: AttributedRow[] = [];
  const stated: Partial<Record<PlatformName, AttributionWindow>> = {};
  for (const a of input.attributed) {
    const platform = a.platform ?? input.platform;
    const file = readAttributedCsv(a.text, a.name, platform ? { platform } : {});
    rows.push(...file.rows);
    for (const [p, w] of Object.entries(file.stated_windows) as [PlatformName, AttributionWindow][]) stated[p] ??= w;
    if (file.skipped_rows > 0) notes.push(`${a.name}: ${file.skipped_rows} summary or blank row(s) left out.`);
  }

  if (input.pulled) {
    const fromFiles = new Set(rows.map((r) => r.platform));
    const both = [...new Set(input.pulled.pulled.map((p) => p.platform))].filter((p) => fromFiles.has(p));
    if (both.length > 0) {
      throw new InputError('--attributed', `${both.join(', ')}: attributed conversions both from a file and from the platform's API would be counted twice; give one`, 'invalid_input');
    }
    rows.push(...rowsOf(input.pulled.pulled));
    // Failures and skips are in the report's attributed_pull (format-table prints them), not repeated as notes.
  }

  let orders: OrderOfRecord[];
  let ordersSource: string;
  if (input.orders === 'internal') {
    if (!input.store) throw new InputError('--orders', 'internal orders need the store (storage.url of the configuration)', 'store_required');
    // Paid in the window means recorded at or after its start; refunds and cancellations come later, up to now.
    const readFrom = startOfDay(input.window.from);
    const records = await input.store.listOrders({ from: readFrom });
    orders = ordersFromRecords(records, readFrom);
    ordersSource = 'internal';
  } else {
    orders = input.orders.orders;
    ordersSource = input.orders.source;
  }

  let delivery;
  let deliveryNote: string | undefined;
  let ow: OrdersInWindow | undefined;
  if (input.store) {
    const range = windowRange(input.window);
    // A day either side: an event's time may differ slightly from the order's paid time.
    const read = { from: range.from - DAY_MS, to: range.to + DAY_MS };
    if (input.store.forEachDeliveryOutcome) {
      // Folded as the store reads them: a month's outcomes are never all held (600,000 for 200,000 orders).
      ow = ordersInWindow(orders, input.window);
      const fold = new DeliveryOutcomeFold(range, paidEventIdsOf(ow.paidInWindow), input.delivery_platforms);
      await input.store.forEachDeliveryOutcome(read, (o) => fold.add(o));
      delivery = fold;
    } else if (input.store.deliveryOutcomes) {
      delivery = await input.store.deliveryOutcomes(read);
    } else {
      deliveryNote = 'This store does not report delivery outcomes (OutboxStore.deliveryOutcomes): the delivery side is not shown.';
    }
  }

  return buildReport({
    window: input.window,
    orders,
    orders_source: ordersSource,
    attributed: rows,
    stated_windows: stated,
    ...(input.windows ? { windows: input.windows } : {}),
    ...(input.pulled ? { pulled: input.pulled.pulled, attributed_pull: { failed: input.pulled.failed, skipped: input.pulled.skipped } } : {}),
    ...(delivery ? { delivery } : {}),
    ...(ow ? { orders_in_window: ow } : {}),
    ...(input.delivery_platforms ? { delivery_platforms: input.delivery_platforms } : {}),
    ...(deliveryNote ? { delivery_note: deliveryNote } : {}),
    notes,
  });
}
