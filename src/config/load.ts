import { readFileSync, existsSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigErrors, InputError } from '../errors.js';
import type { PlatformName } from '../event/names.js';
import { formatIssue } from '../event/schema.js';
import { PLATFORMS } from '../platforms/registry.js';
import type { CommonSettings } from '../platforms/types.js';
import { closestKey, keysAt } from './keys.js';
import { configSchema, type MatchkeyConfig } from './schema.js';

export interface LoadedConfig extends Omit<MatchkeyConfig, 'destinations'> {
  /** Each destination validated by its platform's settings schema; disabled ones left out. */
  destinations: CommonSettings[];
  /** Where it came from: a file path, or 'demo' when no file was found. */
  origin: string;
}

/** `${VAR}` → the environment's value; each missing variable is an error naming the key path (collected in `errors`). */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: string[] = [], errors?: InputError[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      const err = new InputError(path.join('.'), `environment variable ${name} is not set`, 'config_env');
      if (!errors) throw err;
      errors.push(err);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, [...path, String(i)], errors));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, [...path, k], errors);
    return out;
  }
  return value;
}

/**
 * Validates a configuration object (after env substitution). Every problem of the file is reported at once
 * (ConfigErrors, each naming its key path): the common shape, then each destination against its platform's own
 * strict settings schema, so a typo in one destination does not hide another's.
 */
export function validateConfig(raw: unknown, origin: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const errors: InputError[] = [];
  const substituted = substituteEnv(raw, env, [], errors);
  const parsed = configSchema.safeParse(substituted);
  if (!parsed.success) errors.push(...parsed.error.issues.flatMap((i) => configIssue(i, substituted, configSchema)));
  const rawDestinations = isRecord(substituted) && Array.isArray(substituted.destinations) ? (substituted.destinations as unknown[]) : [];
  const seen = new Set<string>();
  const destinations: CommonSettings[] = [];
  rawDestinations.forEach((d, i) => {
    if (!isRecord(d) || typeof d.platform !== 'string' || !Object.hasOwn(PLATFORMS, d.platform)) return; // reported above
    const prefix = ['destinations', i];
    if (typeof d.id === 'string' && seen.has(d.id)) errors.push(new InputError(`destinations.${i}.id`, `duplicate destination id "${d.id}"`));
    if (typeof d.id === 'string') seen.add(d.id);
    const platform = PLATFORMS[d.platform as PlatformName];
    const settings = platform.settingsSchema.safeParse(d);
    if (!settings.success) errors.push(...settings.error.issues.flatMap((issue) => configIssue(issue, d, platform.settingsSchema, prefix)));
    else if (d.enabled !== false) destinations.push(settings.data);
  });
  // A common-key problem is found by both passes: report it once; a key whose variable is unset is reported as that.
  const unsetVariables = new Set(errors.filter((e) => e.code === 'config_env').map((e) => e.path));
  const unique = [...new Map(errors.filter((e) => e.code === 'config_env' || !unsetVariables.has(e.path)).map((e) => [e.message, e])).values()];
  if (unique.length > 0 || !parsed.success) throw new ConfigErrors(origin, unique);
  return { ...parsed.data, destinations, origin };
}

/** One zod issue → an InputError naming the full key path; "required" for a missing key, "did you mean" for a typo. */
function configIssue(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType, prefix: (string | number)[] = []): InputError[] {
  const path = [...prefix, ...issue.path].map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(schema, issue.path);
    return issue.keys.map((key) => {
      const hint = closestKey(key, known);
      return new InputError(path ? `${path}.${key}` : key, `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`, 'unknown_field');
    });
  }
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) return [new InputError(path, 'required', 'required')];
  return [formatIssue(issue, prefix)];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const step of path) v = isRecord(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[step] : undefined;
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** --config FILE, else MATCHKEY_CONFIG, else ./matchkey.config.json; null when none exists (demo mode). */
export function resolveConfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | null {
  if (explicit) return explicit;
  if (env.MATCHKEY_CONFIG) return env.MATCHKEY_CONFIG;
  return existsSync('matchkey.config.json') ? 'matchkey.config.json' : null;
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError('', `cannot read config file ${path}`, 'config_unreadable');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError('', `config file ${path} is not valid JSON (${(err as Error).message})`, 'config_json');
  }
  return validateConfig(raw, path, env);
}
