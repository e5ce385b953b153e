import type { LoadedConfig } from '../config/load.js';
import { HttpSender } from '../delivery/http.js';
import type { DeliveryError } from '../errors.js';
import type { PlatformName } from '../event/names.js';
import type { GoogleSettings } from '../platforms/google/settings.js';
import { PLATFORMS } from '../platforms/registry.js';
import { checkGoogle, LOOKUPS, type Verdict } from './lookups.js';

// `matchkey check`: each enabled destination's credentials against its platform, with the read-only call of
// lookups.ts. Destinations are checked in parallel; a network failure names the host and the cause.

export interface DestinationCheck {
  id: string;
  platform: PlatformName;
  ok: boolean;
  /** Why it failed: wrong credentials, wrong account/pixel id, an unexpected answer, or the network. */
  problem?: 'credentials' | 'id' | 'answer' | 'network';
  detail: string;
}

export async function checkDestinations(config: LoadedConfig): Promise<DestinationCheck[]> {
  const http = new HttpSender({ connections: 1 });
  const timeoutMs = config.delivery.request_timeout_ms;
  try {
    return await Promise.all(
      config.destinations.map(async (d): Promise<DestinationCheck> => {
        let verdict: Verdict;
        try {
          verdict = await checkOne(d, http, timeoutMs);
        } catch (err) {
          const e = ((err as { error?: unknown })?.error ?? err) as Partial<DeliveryError>;
          return { id: d.id, platform: d.platform, ok: false, problem: 'network', detail: `unreachable: ${e.message ?? String(err)}` };
        }
        return verdict.ok
          ? { id: d.id, platform: d.platform, ok: true, detail: verdict.detail }
          : { id: d.id, platform: d.platform, ok: false, problem: verdict.problem, detail: verdict.detail };
      }),
    );
  } finally {
    await http.close();
  }
}

async function checkOne(d: LoadedConfig['destinations'][number], http: HttpSender, timeoutMs: number): Promise<Verdict> {
  if (d.platform === 'google') {
    return checkGoogle(
      d as GoogleSettings,
      (s) =>
        PLATFORMS.google.fetchAccessToken!(s, async (url, form) => {
          const res = await http.postForm(url, form, timeoutMs);
          if ('error' in res) throw res.error;
          return res.response;
        }),
      async (request) => {
        const res = await http.send(request, timeoutMs);
        if ('error' in res) throw res.error;
        return res.response;
      },
      Math.floor(Date.now() / 1000),
    );
  }
  const lookup = LOOKUPS[d.platform];
  // Microsoft documents no read-only or validate call (its README), and Reddit's only test path needs the operator's
  // test_id: their credentials are first tried by `send-test`.
  if (!lookup) return { ok: true, detail: 'the platform offers no read-only check: try the credentials with matchkey send-test' };
  const l = lookup(d);
  const res = l.method === 'GET' ? await http.get(l.url, l.headers, timeoutMs) : await http.send({ method: 'POST', url: l.url, headers: l.headers, body: l.body }, timeoutMs);
  if ('error' in res) throw res.error;
  return l.verdict(res.response);
}
