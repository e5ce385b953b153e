import { describe, expect, it } from 'vitest';
import { classifySnapchat } from './classify.js';

const answer = (status: number, body: unknown = {}, headers: Record<string, string> = {}) => ({ status, body, headers });

describe('classifySnapchat', () => {
  it('accepts every event on 2xx', () => {
    expect(classifySnapchat(answer(200, { status: 'SUCCESS' }), 2)).toEqual({ results: [{ ok: true }, { ok: true }], wholeBatch: false });
  });

  it('refuses for good on 400 and asks for a split when the batch has more than one event', () => {
    const c = classifySnapchat(answer(400, { status: 'INVALID', reason: 'bad', param: 'data.0.event_name' }), 2);
    expect(c.wholeBatch).toBe(true);
    expect(c.results[0]).toMatchObject({ ok: false, error: { kind: 'permanent', code: 'snapchat_invalid' } });
    expect(classifySnapchat(answer(400, {}), 1).wholeBatch).toBe(false);
  });

  it('maps 401/403 to auth, 429 and 5xx to retryable honouring Retry-After', () => {
    expect(classifySnapchat(answer(401), 1).results[0]).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(classifySnapchat(answer(403), 1).results[0]).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(classifySnapchat(answer(429, {}, { 'retry-after': '7' }), 1, 0).results[0]).toMatchObject({ ok: false, error: { kind: 'retryable', retryAfterMs: 7000 } });
    expect(classifySnapchat(answer(503), 1).results[0]).toMatchObject({ ok: false, error: { kind: 'retryable' } });
    expect(classifySnapchat(answer(404), 1).results[0]).toMatchObject({ ok: false, error: { kind: 'permanent' } });
  });
});
