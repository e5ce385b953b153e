import { z } from 'zod';
import { InputError } from '../errors.js';

// The canonical event (README.md shows one). Validated once, at the edge; everything after
// this point may rely on the output type. Objects are strict: a misspelt key (`lastName` for `last_name`) is a
// 400 naming it, not a match key that silently never arrives (operators asked for exactly that).

const MAX_IDS = 10;

const text = (max = 2048) => z.string().max(max);
const oneOrMany = z.union([text(512), z.array(text(512)).max(MAX_IDS)]);

/** Seconds since the epoch, or an ISO-8601 string; output is always whole unix seconds. */
export const eventTimeSchema = z.union([z.number(), z.string()]).transform((raw, ctx) => {
  const seconds = toUnixSeconds(raw);
  if (seconds === undefined) {
    const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 64)) : String(raw);
    const hint = typeof raw === 'number' && raw > 1e11 ? ' (milliseconds? send seconds)' : '';
    ctx.addIssue({ code: 'custom', message: `expected unix seconds or ISO-8601, got ${shown}${hint}` });
    return z.NEVER;
  }
  return seconds;
});

// 2001-09-09 .. 2286-11-20: anything outside is a unit mistake (ms, µs) rather than a real time.
const MIN_SECONDS = 1e9;
const MAX_SECONDS = 1e10;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

const HAS_TIME = /^\d{4}-\d{2}-\d{2}[T ]/i;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

export function toUnixSeconds(raw: number | string): number | undefined {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < MIN_SECONDS || raw >= MAX_SECONDS) return undefined;
    return Math.floor(raw);
  }
  const trimmed = raw.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return toUnixSeconds(Number(trimmed));
  if (!ISO_8601.test(trimmed)) return undefined;
  // A date-time without a zone is read by Date.parse in the host's local time zone, so the same event would get
  // a different event_time on differently configured servers; read it as UTC, like a date-only value.
  const zoned = HAS_TIME.test(trimmed) && !HAS_ZONE.test(trimmed) ? `${trimmed}Z` : trimmed;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) return undefined;
  return toUnixSeconds(Math.floor(ms / 1000));
}

export const ACTION_SOURCES = [
  'website',
  'app',
  'email',
  'phone_call',
  'chat',
  'physical_store',
  'system_generated',
  'business_messaging',
  'other',
] as const;

export const userSchema = z.strictObject({
  email: oneOrMany.optional(),
  phone: oneOrMany.optional(),
  external_id: oneOrMany.optional(),
  first_name: text(256).optional(),
  last_name: text(256).optional(),
  // Room for a pre-hashed value (64 hex, or Meta's `<64 hex>.<appendix>`), which every hashed key may carry.
  gender: text(128).optional(),
  date_of_birth: text(128).optional(),
  street: text(512).optional(),
  city: text(256).optional(),
  state: text(256).optional(),
  zip: text(64).optional(),
  country: text(128).optional(),
  client_ip_address: text(128).optional(),
  client_user_agent: text(1024).optional(),
  fbc: text(1024).optional(),
  fbp: text(1024).optional(),
  fbclid: text(1024).optional(),
  /** When the click id was first seen (unix seconds or ISO-8601); used as fbc's creation time. */
  click_time: eventTimeSchema.optional(),
  ttclid: text(1024).optional(),
  ttp: text(1024).optional(),
  epik: text(1024).optional(),
  gclid: text(1024).optional(),
  gbraid: text(1024).optional(),
  wbraid: text(1024).optional(),
  /** Snapchat click id (`?ScCid=`) and Snap Pixel cookie `_scid`. */
  sccid: text(1024).optional(),
  scid: text(1024).optional(),
  /** Microsoft Advertising click id (`?msclkid=`, or the UET `_uetmsclkid` cookie without its `_uet` prefix). */
  msclkid: text(1024).optional(),
  /** Reddit click id (`?rdt_cid=`) and Reddit Pixel cookie `_rdt_uuid`. */
  rdt_cid: text(1024).optional(),
  rdt_uuid: text(1024).optional(),
  /** Google Analytics 4: the `_ga` cookie (`GA1.1.<random>.<seconds>`) or the bare client id `<random>.<seconds>`. */
  ga_client_id: text(1024).optional(),
  /** Google Analytics 4: the `_ga_<stream>` cookie (`GS1.1.<session id>.…` or `GS2.1.s<session id>$…`) or the bare session id. */
  ga_session_id: text(1024).optional(),
});

export const itemSchema = z.strictObject({
  id: z.union([text(256), z.number()]).transform(String),
  name: text(512).optional(),
  category: text(512).optional(),
  brand: text(256).optional(),
  quantity: z.number().int().nonnegative().optional(),
  price: z.number().finite().optional(),
});

export const commerceSchema = z.strictObject({
  value: z.number().finite().optional(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'expected an ISO-4217 code such as "USD"')
    .transform((c) => c.toUpperCase())
    .optional(),
  order_id: z.union([text(256), z.number().int()]).transform(String).optional(),
  items: z.array(itemSchema).max(1000).optional(),
  content_type: z.enum(['product', 'product_group']).optional(),
  search_string: text(1024).optional(),
});

export const consentSchema = z.strictObject({
  marketing: z.boolean().optional(),
  limited_data_use: z.boolean().optional(),
});

export const canonicalEventInputSchema = z.strictObject({
  event_id: z.union([text(256).min(1), z.number().int()]).transform(String).optional(),
  event_name: text(256).min(1),
  event_time: eventTimeSchema,
  action_source: z.enum(ACTION_SOURCES).optional(),
  event_source_url: text(4096).optional(),
  referrer_url: text(4096).optional(),
  user: userSchema.optional(),
  commerce: commerceSchema.optional(),
  consent: consentSchema.optional(),
  /** Free-form extra properties, passed to platforms that take custom properties. Must hold no PII. */
  custom_data: z.record(z.string(), z.unknown()).optional(),
});

export type CanonicalEventInput = z.input<typeof canonicalEventInputSchema>;
type ParsedInput = z.output<typeof canonicalEventInputSchema>;
/** What canonicalEventInputSchema returns (before parseCanonicalEvent resolves the defaults). */
export type CanonicalEventInputOutput = ParsedInput;
export type CanonicalUser = z.output<typeof userSchema>;
export type CanonicalItem = z.output<typeof itemSchema>;
export type Commerce = z.output<typeof commerceSchema>;

/** A validated event: `event_id` and `action_source` resolved, `event_time` in unix seconds. Raw PII: memory only. */
export interface CanonicalEvent extends Omit<ParsedInput, 'event_id' | 'action_source' | 'user' | 'consent'> {
  event_id: string;
  /** How `event_id` was obtained: given by the caller, derived from the order id, or generated (no dedup possible). */
  event_id_source: 'given' | 'order' | 'generated';
  action_source: (typeof ACTION_SOURCES)[number];
  user: CanonicalUser;
  /**
   * `marketing` absent: the event carries no decision; ingest fills it from the configured consent policy
   * (src/event/consent.ts), granted when none is configured.
   */
  consent: { marketing?: boolean; limited_data_use: boolean };
}

/** Formats one zod issue as `path: what was expected`. Never echoes a user field's value (it may be PII). */
export function formatIssue(issue: z.core.$ZodIssue, prefix: (string | number)[] = []): InputError {
  const path = [...prefix, ...issue.path].map(String).join('.');
  switch (issue.code) {
    case 'invalid_type':
      return new InputError(path, `expected ${issue.expected}`);
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const hint = suggestKey(key);
      return new InputError(path, `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`, 'unknown_field');
    }
    case 'invalid_union':
      return new InputError(path, 'expected a string or an array of strings');
    case 'too_big':
      return new InputError(path, `too long (at most ${String(issue.maximum)})`);
    case 'too_small':
      return new InputError(path, issue.minimum === 1 ? 'must not be empty' : `too small (at least ${String(issue.minimum)})`);
    case 'invalid_value':
      return new InputError(path, `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`);
    default:
      return new InputError(path, issue.message);
  }
}

const KNOWN_KEYS = [
  ...Object.keys(canonicalEventInputSchema.shape),
  ...Object.keys(userSchema.shape),
  ...Object.keys(commerceSchema.shape),
  ...Object.keys(itemSchema.shape),
];

/** `lastName` → `last_name`, `em` → `email`: the field-name slips that silently drop keys elsewhere. */
function suggestKey(key: string): string | undefined {
  const aliases: Record<string, string> = { em: 'email', ph: 'phone', fn: 'first_name', ln: 'last_name', ip: 'client_ip_address', user_agent: 'client_user_agent', zp: 'zip', ct: 'city', st: 'state' };
  if (aliases[key]) return aliases[key];
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return snake !== key && KNOWN_KEYS.includes(snake) ? snake : undefined;
}
