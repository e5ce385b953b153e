import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildSimulatorApp } from '../../src/simulators/server.js';

// The platform simulators in the chaos driver's process, with every upload observed as it is answered: which
// event ids each platform accepted, how often, and when each request arrived. The simulators' own ring buffer
// keeps bodies for the last ~50,000 events only; a 100,000-event scenario needs every id, so they are taken here.

export type PlatformId = 'meta' | 'tiktok' | 'pinterest' | 'google' | 'klaviyo';

export interface ObservedRequest {
  platform: PlatformId;
  at: number;
  status: number;
  accepted: boolean;
  events: number;
}

export interface ObservedSimulators {
  url: string;
  /** platform → event id → times accepted. */
  accepted: Record<PlatformId, Map<string, number>>;
  requests: ObservedRequest[];
  behaviour(sw: Record<string, unknown>): Promise<void>;
  normal(): Promise<void>;
  timeline(platform: PlatformId): { request_times_ms: number[]; rate_limits: { at_ms: number; retry_after_s: number; not_before_ms: number }[]; early_requests: number };
  close(): Promise<void>;
}

export function platformOfPath(path: string): PlatformId | null {
  if (path.startsWith('/open_api/')) return 'tiktok';
  if (path.startsWith('/v5/ad_accounts/')) return 'pinterest';
  if (path.includes(':uploadClickConversions') || path.includes(':uploadConversionAdjustments')) return 'google';
  if (path.startsWith('/api/events')) return 'klaviyo';
  if (/^\/v\d+\.\d+\/[^/]+\/events$/.test(path)) return 'meta';
  return null;
}

/** The ids a request carried: event_id (Meta, TikTok, Pinterest), orderId (Google), unique_id (Klaviyo). */
export function eventIdsOf(platform: PlatformId, body: unknown): string[] {
  const b = body as Record<string, any> | undefined;
  if (!b) return [];
  if (platform === 'google') return Array.isArray(b.conversions) ? b.conversions.map((c: any) => String(c?.orderId)) : [];
  if (platform === 'klaviyo') return b.data?.attributes?.unique_id ? [String(b.data.attributes.unique_id)] : [];
  return Array.isArray(b.data) ? b.data.map((e: any) => String(e?.event_id)) : [];
}

export async function startObservedSimulators(): Promise<ObservedSimulators> {
  const { app, recorder } = buildSimulatorApp({ record: 'summary' });
  const accepted = { meta: new Map(), tiktok: new Map(), pinterest: new Map(), google: new Map(), klaviyo: new Map() } as Record<PlatformId, Map<string, number>>;
  const requests: ObservedRequest[] = [];
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const path = request.url.split('?', 1)[0]!;
    const platform = platformOfPath(path);
    if (!platform || request.method !== 'POST') return payload;
    const status = reply.statusCode;
    // TikTok answers errors with HTTP 200 and a non-zero code (src/platforms/tiktok/README.md).
    const ok = status >= 200 && status < 300 && (platform !== 'tiktok' || (typeof payload === 'string' && payload.includes('"code":0')));
    const ids = eventIdsOf(platform, request.body);
    requests.push({ platform, at: Date.now(), status, accepted: ok, events: ids.length });
    if (ok) for (const id of ids) accepted[platform].set(id, (accepted[platform].get(id) ?? 0) + 1);
    return payload;
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const control = async (method: string, path: string, body?: unknown): Promise<void> => {
    const res = await fetch(`${url}${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${await res.text()}`);
  };
  return {
    url,
    accepted,
    requests,
    behaviour: (sw) => control('POST', '/_sim/behaviour', sw),
    normal: () => control('DELETE', '/_sim/behaviour'),
    timeline: (platform) => ({ ...recorder.timeline(platform), early_requests: recorder.totalsFor(platform).early_requests }),
    close: () => app.close(),
  };
}
