import { readFileSync, existsSync } from 'node:fs';
import { InputError } from '../errors.js';
import { formatIssue } from '../event/schema.js';
import { PLATFORMS } from '../platforms/registry.js';
import type { CommonSettings } from '../platforms/types.js';
import { configSchema, type MatchkeyConfig } from './schema.js';

export interface LoadedConfig extends Omit<MatchkeyConfig, 'destinations'> {
  /** Each destination validated by its platform's settings schema; disabled ones left out. */
  destinations: CommonSettings[];
  /** Where it came from: a file path, or 'demo' when no file was found. */
  origin: string;
}

/** `${VAR}` → the environment's value; a missing variable is an error naming the key path. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: string[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') throw new InputError(path.join('.'), `environment variable ${name} is not set`, 'config_env');
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, [...path, String(i)]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, [...path, k]);
    return out;
  }
  return value;
}

/** Validates a configuration object (after env substitution). Throws InputError naming the key path. */
export function validateConfig(raw: unknown, origin: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const substituted = substituteEnv(raw, env);
  const parsed = configSchema.safeParse(substituted);
  if (!parsed.success) throw formatIssue(parsed.error.issues[0]!);
  const seen = new Set<string>();
  const destinations: CommonSettings[] = [];
  parsed.data.destinations.forEach((d, i) => {
    if (seen.has(d.id)) throw new InputError(`destinations.${i}.id`, `duplicate destination id "${d.id}"`);
    seen.add(d.id);
    const platform = PLATFORMS[d.platform];
    const settings = platform.settingsSchema.safeParse(d);
    if (!settings.success) throw formatIssue(settings.error.issues[0]!, ['destinations', i]);
    if (d.enabled !== false) destinations.push(settings.data);
  });
  return { ...parsed.data, destinations, origin };
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
