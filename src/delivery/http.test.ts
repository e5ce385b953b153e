import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSender } from './http.js';

describe('HttpSender', () => {
  let server: Server;
  let base: string;
  const seen: { url: string; headers: Record<string, unknown>; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url!, headers: req.headers, body });
        if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2000);
        if (req.url === '/text') return void res.writeHead(503, { 'retry-after': '7' }).end('busy');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts JSON and parses a JSON answer', async () => {
    const http = new HttpSender();
    const res = await http.send({ method: 'POST', url: `${base}/v1/x?a=1`, headers: { 'X-Token': 't' }, body: { data: [1] } }, 1000);
    expect(res).toEqual({ response: { status: 200, headers: expect.objectContaining({ 'content-type': 'application/json' }), body: { ok: true } } });
    expect(seen.at(-1)).toMatchObject({ url: '/v1/x?a=1', body: '{"data":[1]}', headers: expect.objectContaining({ 'x-token': 't', 'content-type': 'application/json' }) });
    const form = await http.postForm(`${base}/token`, { grant_type: 'refresh_token', refresh_token: 'r' }, 1000);
    expect('response' in form).toBe(true);
    expect(seen.at(-1)!.body).toBe('grant_type=refresh_token&refresh_token=r');
    await http.close();
  });

  it('sends the body as UTF-8 bytes with their length, from an object or an already serialized string', async () => {
    const http = new HttpSender();
    const city = 'Zürich – 東京 🛒';
    await http.send({ method: 'POST', url: `${base}/utf8`, headers: {}, body: { city } }, 1000);
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ city });
    expect(Number(seen.at(-1)!.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify({ city })));
    await http.send({ method: 'POST', url: `${base}/utf8`, headers: {}, body: `{"city":"${city}"}` }, 1000);
    expect(seen.at(-1)!.body).toBe(`{"city":"${city}"}`);
    await http.close();
  });

  it('keeps a non-JSON body as text with its headers', async () => {
    const http = new HttpSender();
    const res = await http.send({ method: 'POST', url: `${base}/text`, headers: {}, body: {} }, 1000);
    expect(res).toMatchObject({ response: { status: 503, body: 'busy', headers: { 'retry-after': '7' } } });
    await http.close();
  });

  it('turns timeouts and refused connections into retryable errors', async () => {
    const http = new HttpSender();
    expect(await http.send({ method: 'POST', url: `${base}/slow`, headers: {}, body: {} }, 200)).toMatchObject({ error: { kind: 'retryable', code: 'timeout' } });
    expect(await http.send({ method: 'POST', url: 'http://127.0.0.1:1/x', headers: {}, body: {} }, 1000)).toMatchObject({ error: { kind: 'retryable', code: 'network' } });
    await http.close();
  });
});
