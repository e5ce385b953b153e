import type { z } from 'zod';
import { PLATFORMS } from '../platforms/registry.js';
import type { PlatformName } from '../event/names.js';
import { configSchema, destinationCommonSchema } from './schema.js';

// The configuration's key tree, read from the zod schemas themselves: the "did you mean" of an unknown key and the
// test that docs/CONFIGURATION.md documents every key both walk it, so neither can drift from the schema.

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

const def = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional/default/prefault/transform wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (;;) {
    const d = def(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | null {
  const d = def(unwrapSchema(schema));
  return d.type === 'object' && d.shape ? d.shape : null;
}

/** Dotted paths of every leaf key below `schema` (an object's object keys are walked; arrays and records are leaves). */
export function leafKeys(schema: z.ZodType, prefix = ''): string[] {
  const shape = shapeOf(schema);
  if (!shape) return [prefix];
  return Object.entries(shape).flatMap(([key, sub]) => leafKeys(sub, prefix ? `${prefix}.${key}` : key));
}

export interface ConfigKeys {
  /** Keys outside `destinations`: `server.port`, `sources.browser.rate_limit.burst`, … */
  top: string[];
  /** Keys every destination accepts: `id`, `platform`, `base_url`, … */
  common: string[];
  /** Each platform's own keys (the common ones left out): `pixel_id`, `oauth.client_id`, … */
  platforms: Record<PlatformName, string[]>;
}

export function configKeys(): ConfigKeys {
  const top = leafKeys(configSchema).filter((k) => k !== 'destinations');
  const common = leafKeys(destinationCommonSchema);
  const platforms = Object.fromEntries(
    Object.entries(PLATFORMS).map(([name, p]) => [name, leafKeys(p.settingsSchema).filter((k) => !common.includes(k))]),
  ) as Record<PlatformName, string[]>;
  return { top, common, platforms };
}

/** The keys an object at `path` (inside `root`) accepts; array indices are stepped through. */
export function keysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: z.ZodType | undefined = root;
  for (const step of path) {
    if (!s) return [];
    const u = unwrapSchema(s);
    const d = def(u);
    if (typeof step === 'number' || /^\d+$/.test(String(step))) s = d.type === 'array' ? d.element : undefined;
    else s = shapeOf(u)?.[String(step)];
  }
  return s ? Object.keys(shapeOf(s) ?? {}) : [];
}

/** The closest known key within a few edits (`test_event_cod` → `test_event_code`, `prot` → `port`), if any. */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(unknown.length / 3))) + 1;
  for (const k of known) {
    const d = editDistance(unknown.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
