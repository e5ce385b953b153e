import { InputError } from '../errors.js';
import { PLATFORM_NAMES } from '../event/names.js';
import { isObject } from './checks.js';
import type { SimPlatformName } from './types.js';

// The fault switches a test (or the demo) flips through POST /_sim/behaviour: one active switch per platform,
// for `count` requests and/or until `until_ms`, then back to normal.

export const BEHAVIOUR_MODES = ['ok', 'rate_limit', 'server_error', 'slow', 'reject_events'] as const;
export type BehaviourMode = (typeof BEHAVIOUR_MODES)[number];

export interface BehaviourSwitch {
  platform: SimPlatformName;
  mode: Exclude<BehaviourMode, 'ok'>;
  /** rate_limit: the Retry-After header, in seconds. */
  retry_after_s: number;
  /** slow: added delay per answer. */
  delay_ms: number;
  /** Requests still to be answered this way; null = no count limit. */
  remaining: number | null;
  /** Epoch ms after which the switch is off; null = no deadline. */
  until_ms: number | null;
  /** reject_events: ids to refuse (Meta/TikTok/Pinterest event_id, Google orderId, Klaviyo unique_id); null = every event. */
  event_ids: string[] | null;
  /** Overrides the HTTP status of rate_limit / server_error answers (e.g. 200 for TikTok's in-body 40100). */
  status: number | null;
  set_at_ms: number;
}

const DEFAULT_RETRY_AFTER_S = 1;
const DEFAULT_DELAY_MS = 1000;

function optionalNumber(input: Record<string, unknown>, key: string, min: number, integer: boolean): number | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new InputError(key, `expected ${integer ? 'an integer' : 'a number'} >= ${min}`);
  }
  return v;
}

/** Validates a POST /_sim/behaviour body into the switches it sets (one per platform; `all` = every platform). */
export function parseBehaviour(input: unknown, nowMs: number): { platforms: SimPlatformName[]; switch: Omit<BehaviourSwitch, 'platform'> | null } {
  if (!isObject(input)) throw new InputError('', 'expected a JSON object');
  const platform = input.platform;
  let platforms: SimPlatformName[];
  if (platform === 'all') platforms = [...PLATFORM_NAMES];
  else if (typeof platform === 'string' && (PLATFORM_NAMES as readonly string[]).includes(platform)) platforms = [platform as SimPlatformName];
  else throw new InputError('platform', `expected one of ${PLATFORM_NAMES.join(', ')}, all`);
  const mode = input.mode;
  if (typeof mode !== 'string' || !(BEHAVIOUR_MODES as readonly string[]).includes(mode)) {
    throw new InputError('mode', `expected one of ${BEHAVIOUR_MODES.join(', ')}`);
  }
  if (mode === 'ok') return { platforms, switch: null };

  const count = optionalNumber(input, 'count', 1, true);
  const untilMs = optionalNumber(input, 'until_ms', 0, true);
  const forMs = optionalNumber(input, 'for_ms', 0, true);
  const status = optionalNumber(input, 'status', 100, true);
  if (status !== undefined && status > 599) throw new InputError('status', 'expected an HTTP status');
  let eventIds: string[] | null = null;
  if (input.event_ids !== undefined && input.event_ids !== null) {
    if (!Array.isArray(input.event_ids) || !input.event_ids.every((e) => typeof e === 'string')) {
      throw new InputError('event_ids', 'expected an array of strings');
    }
    eventIds = input.event_ids as string[];
  }
  return {
    platforms,
    switch: {
      mode: mode as BehaviourSwitch['mode'],
      retry_after_s: optionalNumber(input, 'retry_after_s', 0, false) ?? DEFAULT_RETRY_AFTER_S,
      delay_ms: optionalNumber(input, 'delay_ms', 0, true) ?? DEFAULT_DELAY_MS,
      remaining: count ?? null,
      until_ms: untilMs ?? (forMs !== undefined ? nowMs + forMs : null),
      event_ids: eventIds,
      status: status ?? null,
      set_at_ms: nowMs,
    },
  };
}

export class BehaviourBoard {
  private readonly switches = new Map<SimPlatformName, BehaviourSwitch>();

  /** Applies a POST /_sim/behaviour body; returns the switches now active. Throws InputError on a bad body. */
  apply(input: unknown, nowMs: number): BehaviourSwitch[] {
    const parsed = parseBehaviour(input, nowMs);
    for (const platform of parsed.platforms) {
      if (parsed.switch) this.switches.set(platform, { ...parsed.switch, platform, event_ids: parsed.switch.event_ids && [...parsed.switch.event_ids] });
      else this.switches.delete(platform);
    }
    return this.list(nowMs);
  }

  /** The switch in force for this platform now, or null (expired switches are dropped here). */
  active(platform: SimPlatformName, nowMs: number): BehaviourSwitch | null {
    const sw = this.switches.get(platform);
    if (!sw) return null;
    if (sw.until_ms !== null && nowMs >= sw.until_ms) {
      this.switches.delete(platform);
      return null;
    }
    return sw;
  }

  /** One request was answered by this switch. */
  consume(sw: BehaviourSwitch): void {
    if (sw.remaining === null) return;
    sw.remaining--;
    if (sw.remaining <= 0 && this.switches.get(sw.platform) === sw) this.switches.delete(sw.platform);
  }

  list(nowMs: number): BehaviourSwitch[] {
    const out: BehaviourSwitch[] = [];
    for (const platform of PLATFORM_NAMES) {
      const sw = this.active(platform, nowMs);
      if (sw) out.push(sw);
    }
    return out;
  }

  clear(): void {
    this.switches.clear();
  }
}
