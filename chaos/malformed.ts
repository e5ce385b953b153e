import { Agent, request } from 'undici';
import { ADMIN_TOKEN, INGEST_KEY, type GatewayProcess } from '../bench/lib/gateway.js';
import { readFileSync } from 'node:fs';
import { malformedInputs, type MalformedInput } from './lib/malformed-inputs.js';
import { startObservedSimulators } from './lib/observed-simulators.js';
import { chaosGateway, Outcome, runAlone, scratch, type ScenarioOptions, type ScenarioResult } from './lib/scenario.js';
import { sign } from './lib/shopify.js';

// Scenario 4: malformed inputs to every JSON route. Promise: each one answered with a 4xx and the JSON error body of
// the gateway's error shape ({"error":{"code","message","path"}}, src/server/http-error.ts); no 5xx, no crash, no
// unhandled rejection, and memory that does not keep growing (RSS after the second half of the corpus against after
// the first half). Shopify webhooks signed with the right secret whose JSON is an order we cannot map are
// acknowledged by design (200, https://shopify.dev/docs/api/webhooks: a refused webhook is retried for hours):
// counted as absorbed.

interface Route {
  path: string;
  headers: Record<string, string>;
  /** Sign the body with the Shopify secret (the body then reaches the route's own checks). */
  signed?: boolean;
}

const ROUTES: Route[] = [
  { path: '/v1/events', headers: { authorization: `Bearer ${INGEST_KEY}` } },
  { path: '/webhooks/shopify', headers: { 'x-shopify-topic': 'orders/paid', 'x-shopify-webhook-id': 'wh' }, signed: true },
  { path: '/webhooks/shopify', headers: { 'x-shopify-topic': 'orders/paid' } },
  { path: '/api/deliveries/replay', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
  { path: '/api/reconcile', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
  { path: '/api/annotations', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
  { path: '/api/gauges', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
  { path: '/collect', headers: { origin: 'https://shop.example' } },
];

export async function runMalformed(o: ScenarioOptions & { inputs?: number }): Promise<ScenarioResult> {
  const count = o.inputs ?? (o.short ? 2_000 : 10_000);
  const out = new Outcome('malformed', `${count.toLocaleString('en-US')} malformed inputs to every route`);
  const sim = await startObservedSimulators();
  const { dir, remove } = scratch('malformed');
  let gateway: GatewayProcess | undefined;
  const agent = new Agent({ connections: 16 });
  try {
    const gw = chaosGateway({ dir, simUrl: sim.url, platforms: ['meta'], extra: { sources: { api_keys: [INGEST_KEY], shopify: { webhook_secrets: ['bench-shopify-secret-current'] }, browser: { allowed_origins: ['https://shop.example'] } } } });
    gateway = await gw.start();
    const url = gateway.url;
    // Routes this build does not have (404 to a well-formed request) are left out and listed.
    const routes: Route[] = [];
    const absent: string[] = [];
    for (const r of ROUTES) {
      const res = await request(`${url}${r.path}`, { method: 'POST', headers: { ...r.headers, 'content-type': 'application/json' }, body: '{}', dispatcher: agent });
      await res.body.dump();
      if (res.statusCode === 404) absent.push(r.path);
      else routes.push(r);
    }
    const inputs = malformedInputs(count);
    const byKind: Record<string, Record<string, number>> = {};
    const wrong: string[] = [];
    let wrongCount = 0;
    let absorbed = 0;
    let beaconAccepted = 0;
    let lenientReconcile = 0;
    let closedEarly = 0;
    let transportErrors = 0;
    const rss: number[] = [];
    const send = async (input: MalformedInput, n: number): Promise<void> => {
      const route = routes[n % routes.length]!;
      const headers: Record<string, string> = { ...route.headers };
      if (input.contentType) headers['content-type'] = input.contentType;
      if (route.signed) headers['x-shopify-hmac-sha256'] = sign(typeof input.body === 'string' ? Buffer.from(input.body) : input.body);
      if (route.headers['x-shopify-webhook-id']) headers['x-shopify-webhook-id'] = `wh-malformed-${n}`;
      let status = 0;
      let text = '';
      let type = '';
      try {
        const res = await request(`${url}${route.path}`, { method: 'POST', headers, body: input.body, dispatcher: agent, headersTimeout: 30_000, bodyTimeout: 30_000 });
        status = res.statusCode;
        type = String(res.headers['content-type'] ?? '');
        text = await res.body.text();
      } catch (err) {
        // A body over the route's limit: the gateway answers 413 and closes the connection while the client is
        // still uploading (HTTP/1.1 allows it), so the client may see EPIPE/ECONNRESET instead of the answer.
        if (Buffer.byteLength(input.body) > 64 * 1024) {
          closedEarly++;
          return;
        }
        transportErrors++;
        text = (err as Error).message;
      }
      const key = `${route.path}${route.signed ? ' (signed)' : ''}`;
      byKind[input.kind] ??= {};
      byKind[input.kind]![status] = (byKind[input.kind]![status] ?? 0) + 1;
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const jsonError = status >= 400 && status < 500 && type.includes('json') && typeof body?.error?.code === 'string' && typeof body?.error?.message === 'string';
      if (jsonError) return;
      if (route.signed && status === 200 && body?.ok === true) {
        absorbed++;
        return;
      }
      // POST /api/reconcile takes an object of optional fields and ignores unknown keys: `{}` or `{"a":1}` is a
      // valid request for it (the default window). Counted and reported, not a fault of this scenario's promise.
      if (route.path === '/api/reconcile' && status === 200) {
        lenientReconcile++;
        return;
      }
      // navigator.sendBeacon posts text/plain: /collect accepts it by design, so a valid event sent so is no fault.
      if (route.path === '/collect' && input.kind === 'wrong content type' && /^text\/plain/.test(input.contentType ?? '') && status === 202) {
        beaconAccepted++;
        return;
      }
      wrongCount++;
      if (wrong.length < (process.env.CHAOS_VERBOSE ? 200 : 8)) wrong.push(`${input.kind} → ${key}: ${status} ${text.slice(0, 140)}`);
    };
    let next = 0;
    const lanes = async (limit: number): Promise<void> => {
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < limit) {
            const n = next++;
            await send(inputs[n]!, n);
          }
        }),
      );
    };
    await lanes(Math.floor(count / 2));
    rss.push(gateway.memory().rssKiB);
    await lanes(count);
    rss.push(gateway.memory().rssKiB);
    const health = await fetch(`${url}/healthz`).then((r) => r.status).catch(() => 0);
    const running = gateway.isRunning();
    await gateway.stop();
    const logText = readFileSync(gw.logPath, 'utf8');
    const unhandled = (logText.match(/unhandled|uncaught/gi) ?? []).length;
    const internalErrors = (logText.match(/"request failed"/g) ?? []).length;

    out.figure('inputs', count);
    out.figure('routes', routes.map((r) => `${r.path}${r.signed ? ' (signed)' : ''}`).join(', '));
    if (absent.length) out.figure('routes not in this build (skipped)', absent.join(', '));
    for (const [kind, statuses] of Object.entries(byKind)) out.figure(`answers: ${kind}`, JSON.stringify(statuses));
    out.figure('signed Shopify bodies acknowledged (unmappable order, by design)', absorbed);
    out.figure('valid events sent to /collect as text/plain (sendBeacon, accepted by design)', beaconAccepted);
    out.figure('bodies answered 200 by /api/reconcile (optional fields, unknown keys ignored)', lenientReconcile);
    out.figure('oversized uploads cut off by the gateway (413 + close, client saw EPIPE)', closedEarly);
    out.figure('connections closed without an answer (other)', transportErrors);
    out.figure('RSS after half / after all (MiB)', rss.map((k) => Math.round(k / 1024)).join(' / '));
    out.figure('unhandled rejections / 500s in the log', `${unhandled} / ${internalErrors}`);
    out.expect(wrongCount === 0, `${wrongCount} inputs without a 4xx JSON error, e.g. ${wrong.join(' | ')}`);
    out.expect(running && health === 200, `the gateway is not healthy after the corpus (running ${running}, /healthz ${health})`);
    out.expect(unhandled === 0 && internalErrors === 0, `the log shows ${unhandled} unhandled errors and ${internalErrors} internal errors`);
    out.expect(rss[1]! - rss[0]! < 100 * 1024, `RSS grew by ${Math.round((rss[1]! - rss[0]!) / 1024)} MiB over the second half of the corpus`);
    out.expect(sim.accepted.meta.size === 0, `${sim.accepted.meta.size} malformed events were delivered to Meta`);
    return out.result();
  } finally {
    await gateway?.kill();
    await agent.close();
    await sim.close();
    if (!o.keep) remove();
  }
}

await runAlone(import.meta.url, runMalformed);
