import { InputError } from '../../errors.js';
import { parseDay, utcDay } from './days.js';
import { GAUGE_KINDS, type Annotation, type Gauge, type GaugePlatform, type HistoryStore } from './types.js';

// Validation shared by `matchkey annotate` / `matchkey gauge` and POST /api/annotations / POST /api/gauges, so the
// CLI and the API accept exactly the same input. Paths name the JSON field (the CLI maps them to its flags).

export const MAX_ANNOTATION_LENGTH = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{text, date?}` → an annotation on `date` (default: today, UTC). */
export async function recordAnnotation(history: HistoryStore, raw: unknown, nowMs: number): Promise<Annotation> {
  if (!isObject(raw)) throw new InputError('', 'expected a JSON object {"text": "…", "date": "YYYY-MM-DD"}');
  const text = typeof raw.text === 'string' ? raw.text.trim() : undefined;
  if (text === undefined) throw new InputError('text', 'expected a string');
  if (text === '') throw new InputError('text', 'must not be empty');
  if (text.length > MAX_ANNOTATION_LENGTH) throw new InputError('text', `too long (at most ${MAX_ANNOTATION_LENGTH})`);
  const day = optionalDay(raw.date, nowMs);
  return history.addAnnotation({ day, text, created_at: nowMs });
}

const DESTINATION_ID = /^[a-z0-9][a-z0-9_-]*$/i;

/**
 * `{platform, value, date?, destination_id?}` → the platform's own score for that day (replacing an earlier reading
 * of the day). `destination_id` ties it to one destination (a second Meta dataset); without it the reading is the
 * platform's as a whole.
 */
export async function recordGauge(history: HistoryStore, raw: unknown, nowMs: number): Promise<Gauge> {
  if (!isObject(raw)) throw new InputError('', 'expected a JSON object {"platform": "meta", "value": 6.8, "date": "YYYY-MM-DD"}');
  const platform = raw.platform;
  if (typeof platform !== 'string' || !Object.hasOwn(GAUGE_KINDS, platform)) {
    throw new InputError('platform', `expected one of ${Object.keys(GAUGE_KINDS).join(', ')} (the platforms that report a match score)`);
  }
  const spec = GAUGE_KINDS[platform as GaugePlatform];
  const value = typeof raw.value === 'string' && raw.value.trim() !== '' ? Number(raw.value) : raw.value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < spec.min || value > spec.max) {
    throw new InputError('value', `expected a number from ${spec.min} to ${spec.max} (${spec.label})`);
  }
  const destination = raw.destination_id;
  if (destination !== undefined && destination !== null && (typeof destination !== 'string' || !DESTINATION_ID.test(destination))) {
    throw new InputError('destination_id', 'expected a destination id of letters, digits, - and _');
  }
  const gauge: Gauge = {
    day: optionalDay(raw.date, nowMs),
    platform: platform as GaugePlatform,
    ...(typeof destination === 'string' ? { destination_id: destination } : {}),
    kind: spec.kind,
    value,
    recorded_at: nowMs,
  };
  await history.recordGauge(gauge);
  return gauge;
}

function optionalDay(raw: unknown, nowMs: number): string {
  if (raw === undefined || raw === null) return utcDay(nowMs);
  if (typeof raw !== 'string') throw new InputError('date', 'expected a date as YYYY-MM-DD');
  return parseDay(raw, 'date');
}
