import { type GatewayProcess } from '../bench/lib/gateway.js';
import { startObservedSimulators } from './lib/observed-simulators.js';
import { chaosGateway, Outcome, runAlone, scratch, waitUntil, type ScenarioOptions, type ScenarioResult } from './lib/scenario.js';
import { orderBody, postWebhook, sign } from './lib/shopify.js';

// Scenario 5: forged Shopify webhooks among valid ones. Forgeries (wrong secret, one flipped bit in the body or
// in the signature, a signature over the re-serialized JSON, no header, an empty or hex-encoded or truncated
// one) are refused with 401; replays of a valid webhook (same id, or the same order under another id) are
// absorbed: 200, and no second purchase reaches a platform. Every valid webhook is accepted and delivered once.

type Kind = 'wrong_secret' | 'flipped_body_bit' | 'flipped_signature_bit' | 'reserialized' | 'missing_header' | 'empty_header' | 'hex_signature' | 'truncated_signature' | 'replay_same_id' | 'replay_new_id';
const FORGERIES: Kind[] = ['wrong_secret', 'flipped_body_bit', 'flipped_signature_bit', 'reserialized', 'missing_header', 'empty_header', 'hex_signature', 'truncated_signature'];
const REPLAYS: Kind[] = ['replay_same_id', 'replay_new_id'];

function flipBit(bytes: Buffer, seed: number): Buffer {
  const copy = Buffer.from(bytes);
  const i = seed % copy.length;
  copy[i] = copy[i]! ^ (1 << (seed % 8));
  return copy;
}

export async function runForgedWebhooks(o: ScenarioOptions & { forged?: number; valid?: number }): Promise<ScenarioResult> {
  const forgedCount = o.forged ?? (o.short ? 1_000 : 10_000);
  const validCount = o.valid ?? (o.short ? 50 : 200);
  const out = new Outcome('forged-webhooks', `${forgedCount.toLocaleString('en-US')} forged or replayed Shopify webhooks among ${validCount} valid ones`);
  const sim = await startObservedSimulators();
  const { dir, remove } = scratch('forged');
  let gateway: GatewayProcess | undefined;
  try {
    gateway = await chaosGateway({ dir, simUrl: sim.url, platforms: ['meta'] }).start();
    const url = gateway.url;
    const base = 7_000_000_000_000 + Math.floor(Math.random() * 1e9);
    const valid = Array.from({ length: validCount }, (_, i) => ({ id: base + i, raw: orderBody(base + i), webhookId: `wh-valid-${base + i}` }));
    const byKind: Record<string, Record<string, number>> = {};
    const tally = (kind: string, status: number): void => {
      byKind[kind] ??= {};
      byKind[kind][status] = (byKind[kind][status] ?? 0) + 1;
    };
    let validAccepted = 0;
    let wrongAnswers = 0;
    const wrong: string[] = [];
    // Valid ones first (replays need something to replay), then forgeries and replays interleaved, 16 at a time.
    await Promise.all(
      Array.from({ length: 8 }, async (_, lane) => {
        for (let i = lane; i < valid.length; i += 8) {
          const v = valid[i]!;
          const r = await postWebhook(url, v.raw, { webhookId: v.webhookId });
          tally('valid', r.status);
          if (r.status === 200 && r.body?.ok === true) validAccepted++;
        }
      }),
    );
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < forgedCount) {
          const n = next++;
          const kinds = n % 10 < 8 ? FORGERIES : REPLAYS;
          const kind = kinds[n % kinds.length]!;
          const forgedId = base + 1_000_000 + n;
          const raw = orderBody(forgedId);
          const webhookId = `wh-forged-${forgedId}`;
          let r;
          const replayOf = valid[n % valid.length]!;
          switch (kind) {
            case 'wrong_secret':
              r = await postWebhook(url, raw, { hmac: sign(raw, `not-the-secret-${n}`), webhookId });
              break;
            case 'flipped_body_bit': {
              const bytes = Buffer.from(raw);
              // Flip a bit inside the id digits, so the body stays valid JSON for a new order.
              const at = bytes.indexOf(String(forgedId)) + (n % 10);
              const flipped = Buffer.from(bytes);
              flipped[at] = flipped[at]! ^ 1;
              r = await postWebhook(url, flipped, { hmac: sign(raw), webhookId });
              break;
            }
            case 'flipped_signature_bit':
              r = await postWebhook(url, raw, { hmac: flipBit(Buffer.from(sign(raw), 'base64'), n).toString('base64'), webhookId });
              break;
            case 'reserialized':
              r = await postWebhook(url, raw, { hmac: sign(JSON.stringify(JSON.parse(raw))), webhookId });
              break;
            case 'missing_header':
              r = await postWebhook(url, raw, { hmac: null, webhookId });
              break;
            case 'empty_header':
              r = await postWebhook(url, raw, { hmac: '', webhookId });
              break;
            case 'hex_signature':
              r = await postWebhook(url, raw, { hmac: Buffer.from(sign(raw), 'base64').toString('hex'), webhookId });
              break;
            case 'truncated_signature':
              r = await postWebhook(url, raw, { hmac: sign(raw).slice(0, 20), webhookId });
              break;
            case 'replay_same_id':
              r = await postWebhook(url, replayOf.raw, { webhookId: replayOf.webhookId });
              break;
            case 'replay_new_id':
              r = await postWebhook(url, replayOf.raw, { webhookId: `wh-replay-${n}` });
              break;
          }
          tally(kind, r.status);
          const refusedRight = r.status === 401 && r.contentType.includes('json') && typeof r.body?.error?.code === 'string';
          const absorbedRight = r.status === 200 && r.body?.ok === true;
          const right = FORGERIES.includes(kind) ? refusedRight : absorbedRight;
          if (!right) {
            wrongAnswers++;
            if (wrong.length < 5) wrong.push(`${kind} → ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
          }
        }
      }),
    );
    const validIds = new Set(valid.map((v) => `order_${v.id}`));
    await waitUntil(() => [...validIds].every((id) => sim.accepted.meta.has(id)), 60_000, 200);
    // A little longer: a replay that slipped through would be sent shortly after its original.
    await new Promise((r) => setTimeout(r, 2000));
    const delivered = [...validIds].filter((id) => sim.accepted.meta.has(id)).length;
    const twice = [...sim.accepted.meta].filter(([, c]) => c > 1).length;
    const foreign = [...sim.accepted.meta.keys()].filter((id) => !validIds.has(id)).length;

    out.figure('forged or replayed webhooks sent', forgedCount);
    for (const [kind, statuses] of Object.entries(byKind)) out.figure(`answers: ${kind}`, JSON.stringify(statuses));
    out.figure('valid webhooks accepted', `${validAccepted}/${validCount}`);
    out.figure('valid orders delivered to Meta', `${delivered}/${validCount}`);
    out.figure('orders delivered twice', twice);
    out.figure('forged orders delivered', foreign);
    out.expect(wrongAnswers === 0, `${wrongAnswers} forged/replayed webhooks got the wrong answer, e.g. ${wrong.join(' | ')}`);
    out.expect(validAccepted === validCount, `${validCount - validAccepted} valid webhooks not accepted`);
    out.expect(delivered === validCount, `${validCount - delivered} valid orders not delivered`);
    out.expect(twice === 0, `${twice} orders reached Meta twice (a replay was not absorbed)`);
    out.expect(foreign === 0, `${foreign} forged orders reached Meta`);
    out.expect(gateway.isRunning(), 'the gateway exited');
    return out.result();
  } finally {
    await gateway?.stop();
    await sim.close();
    if (!o.keep) remove();
  }
}

await runAlone(import.meta.url, runForgedWebhooks);
