import { ACTION_SOURCES, toUnixSeconds, type CanonicalEventInputOutput } from './schema.js';

// A hand-written accept path for canonical events, run before the zod schema (schema.ts) on the ingest hot path:
// zod's generic object/union machinery cost ~10 µs per realistic purchase, a third of the transform budget
// (docs/BENCHMARKS.md). It ACCEPTS ONLY what the schema accepts and returns exactly what the schema returns (same keys,
// same key order, same copies and transforms); anything it is not sure about — an invalid value, an unexpected
// shape, `undefined`, a non-plain object — returns undefined and the caller runs the zod schema, which produces
// the error (message and path) or the output. So the schema stays the single definition of what is valid and
// every error still comes from it; fast-parse.test.ts checks the two agree on generated inputs.

const MAX_IDS = 10;
const MAX_ITEMS = 1000;
const ACTION_SOURCE_SET: ReadonlySet<string> = new Set(ACTION_SOURCES);
const CURRENCY = /^[A-Za-z]{3}$/;

type Obj = Record<string, unknown>;

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

function isPlainObject(value: unknown): value is Obj {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** z.union([text(512), z.array(text(512)).max(10)]): the string itself, or a copy of the array. */
function oneOrMany(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value.length <= 512 ? value : undefined;
  if (!Array.isArray(value) || value.length > MAX_IDS || Object.getPrototypeOf(value) !== Array.prototype) return undefined;
  const out: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (!isText(v, 512)) return undefined;
    out.push(v);
  }
  return out;
}

/** eventTimeSchema: number or string → whole unix seconds. */
function eventTime(value: unknown): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  return toUnixSeconds(value);
}

// userSchema's keys in its declared order (zod writes the output in shape order), with each key's maximum length;
// `oneOrMany` and `time` mark the three that are not plain text.
const USER_FIELDS: readonly (readonly [string, number | 'oneOrMany' | 'time'])[] = [
  ['email', 'oneOrMany'],
  ['phone', 'oneOrMany'],
  ['external_id', 'oneOrMany'],
  ['first_name', 256],
  ['last_name', 256],
  ['gender', 128],
  ['date_of_birth', 128],
  ['street', 512],
  ['city', 256],
  ['state', 256],
  ['zip', 64],
  ['country', 128],
  ['client_ip_address', 128],
  ['client_user_agent', 1024],
  ['fbc', 1024],
  ['fbp', 1024],
  ['fbclid', 1024],
  ['click_time', 'time'],
  ['ttclid', 1024],
  ['ttp', 1024],
  ['epik', 1024],
  ['gclid', 1024],
  ['gbraid', 1024],
  ['wbraid', 1024],
  ['sccid', 1024],
  ['scid', 1024],
  ['msclkid', 1024],
  ['rdt_cid', 1024],
  ['rdt_uuid', 1024],
  ['ga_client_id', 1024],
  ['ga_session_id', 1024],
];
const USER_KEYS: ReadonlySet<string> = new Set(USER_FIELDS.map(([k]) => k));

function user(value: unknown): Obj | undefined {
  if (!isPlainObject(value)) return undefined;
  let present = 0;
  for (const key in value) {
    if (!USER_KEYS.has(key)) return undefined;
    present++;
  }
  const out: Obj = {};
  let seen = 0;
  for (let f = 0; f < USER_FIELDS.length && seen < present; f++) {
    const [key, kind] = USER_FIELDS[f]!;
    if (!hasOwn(value, key)) continue;
    seen++;
    const v = value[key];
    let parsed: unknown;
    if (kind === 'oneOrMany') parsed = oneOrMany(v);
    else if (kind === 'time') parsed = eventTime(v);
    else parsed = isText(v, kind) ? v : undefined;
    if (parsed === undefined) return undefined;
    out[key] = parsed;
  }
  return seen === present ? out : undefined;
}

const ITEM_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'category', 'brand', 'quantity', 'price']);

function item(value: unknown): Obj | undefined {
  if (!isPlainObject(value)) return undefined;
  for (const key in value) if (!ITEM_KEYS.has(key)) return undefined;
  const out: Obj = {};
  // id: z.union([text(256), z.number()]).transform(String) — required.
  const id = value.id;
  if (isText(id, 256)) out.id = id;
  else if (typeof id === 'number' && Number.isFinite(id)) out.id = String(id);
  else return undefined;
  if (hasOwn(value, 'name')) {
    if (!isText(value.name, 512)) return undefined;
    out.name = value.name;
  }
  if (hasOwn(value, 'category')) {
    if (!isText(value.category, 512)) return undefined;
    out.category = value.category;
  }
  if (hasOwn(value, 'brand')) {
    if (!isText(value.brand, 256)) return undefined;
    out.brand = value.brand;
  }
  if (hasOwn(value, 'quantity')) {
    const q = value.quantity;
    if (typeof q !== 'number' || !Number.isSafeInteger(q) || q < 0) return undefined;
    out.quantity = q;
  }
  if (hasOwn(value, 'price')) {
    const p = value.price;
    if (typeof p !== 'number' || !Number.isFinite(p)) return undefined;
    out.price = p;
  }
  return out;
}

const COMMERCE_KEYS: ReadonlySet<string> = new Set(['value', 'currency', 'order_id', 'items', 'content_type', 'search_string']);

function commerce(value: unknown): Obj | undefined {
  if (!isPlainObject(value)) return undefined;
  for (const key in value) if (!COMMERCE_KEYS.has(key)) return undefined;
  const out: Obj = {};
  if (hasOwn(value, 'value')) {
    const v = value.value;
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    out.value = v;
  }
  if (hasOwn(value, 'currency')) {
    const c = value.currency;
    if (typeof c !== 'string' || !CURRENCY.test(c)) return undefined;
    out.currency = c.toUpperCase();
  }
  if (hasOwn(value, 'order_id')) {
    const o = value.order_id;
    if (isText(o, 256)) out.order_id = o;
    else if (typeof o === 'number' && Number.isSafeInteger(o)) out.order_id = String(o);
    else return undefined;
  }
  if (hasOwn(value, 'items')) {
    const items = value.items;
    if (!Array.isArray(items) || items.length > MAX_ITEMS || Object.getPrototypeOf(items) !== Array.prototype) return undefined;
    const list: Obj[] = [];
    for (let i = 0; i < items.length; i++) {
      const parsed = item(items[i]);
      if (parsed === undefined) return undefined;
      list.push(parsed);
    }
    out.items = list;
  }
  if (hasOwn(value, 'content_type')) {
    const t = value.content_type;
    if (t !== 'product' && t !== 'product_group') return undefined;
    out.content_type = t;
  }
  if (hasOwn(value, 'search_string')) {
    if (!isText(value.search_string, 1024)) return undefined;
    out.search_string = value.search_string;
  }
  return out;
}

function consent(value: unknown): Obj | undefined {
  if (!isPlainObject(value)) return undefined;
  for (const key in value) if (key !== 'marketing' && key !== 'limited_data_use') return undefined;
  const out: Obj = {};
  if (hasOwn(value, 'marketing')) {
    if (typeof value.marketing !== 'boolean') return undefined;
    out.marketing = value.marketing;
  }
  if (hasOwn(value, 'limited_data_use')) {
    if (typeof value.limited_data_use !== 'boolean') return undefined;
    out.limited_data_use = value.limited_data_use;
  }
  return out;
}

/** z.record(z.string(), z.unknown()): a shallow copy. `__proto__` and anything unusual go to zod. */
function customData(value: unknown): Obj | undefined {
  if (!isPlainObject(value)) return undefined;
  const out: Obj = {};
  for (const key in value) {
    const v = value[key];
    if (key === '__proto__' || v === undefined) return undefined;
    out[key] = v;
  }
  return out;
}

const EVENT_KEYS: ReadonlySet<string> = new Set([
  'event_id',
  'event_name',
  'event_time',
  'action_source',
  'event_source_url',
  'referrer_url',
  'user',
  'commerce',
  'consent',
  'custom_data',
]);

/**
 * canonicalEventInputSchema's output for an input it certainly accepts; undefined when the schema must decide
 * (invalid or unusual input). Never throws.
 */
export function fastParseCanonicalEventInput(raw: unknown): CanonicalEventInputOutput | undefined {
  if (!isPlainObject(raw)) return undefined;
  for (const key in raw) if (!EVENT_KEYS.has(key)) return undefined;
  const out: Obj = {};
  if (hasOwn(raw, 'event_id')) {
    const id = raw.event_id;
    if (typeof id === 'string' && id.length >= 1 && id.length <= 256) out.event_id = id;
    else if (typeof id === 'number' && Number.isSafeInteger(id)) out.event_id = String(id);
    else return undefined;
  }
  const name = raw.event_name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 256) return undefined;
  out.event_name = name;
  const time = eventTime(raw.event_time);
  if (time === undefined) return undefined;
  out.event_time = time;
  if (hasOwn(raw, 'action_source')) {
    const source = raw.action_source;
    if (typeof source !== 'string' || !ACTION_SOURCE_SET.has(source)) return undefined;
    out.action_source = source;
  }
  if (hasOwn(raw, 'event_source_url')) {
    if (!isText(raw.event_source_url, 4096)) return undefined;
    out.event_source_url = raw.event_source_url;
  }
  if (hasOwn(raw, 'referrer_url')) {
    if (!isText(raw.referrer_url, 4096)) return undefined;
    out.referrer_url = raw.referrer_url;
  }
  if (hasOwn(raw, 'user')) {
    const u = user(raw.user);
    if (u === undefined) return undefined;
    out.user = u;
  }
  if (hasOwn(raw, 'commerce')) {
    const c = commerce(raw.commerce);
    if (c === undefined) return undefined;
    out.commerce = c;
  }
  if (hasOwn(raw, 'consent')) {
    const c = consent(raw.consent);
    if (c === undefined) return undefined;
    out.consent = c;
  }
  if (hasOwn(raw, 'custom_data')) {
    const c = customData(raw.custom_data);
    if (c === undefined) return undefined;
    out.custom_data = c;
  }
  return out as unknown as CanonicalEventInputOutput;
}
