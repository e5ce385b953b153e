import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A loopback HTTP server playing a platform for the worker's tests: records every request (arrival time,
// path, event ids) and answers with whatever the test's handler decides.

export interface SeenRequest {
  at: number;
  path: string;
  headers: IncomingMessage['headers'];
  eventIds: string[];
  body: unknown;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
export type Handler = (req: SeenRequest, index: number) => Answer;

export async function startPlatformServer(handler: Handler = () => ({ status: 200, body: {} })) {
  const requests: SeenRequest[] = [];
  let current = handler;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* form or empty */
      }
      const data = (body as { data?: { event_id: string }[] })?.data;
      const seen: SeenRequest = { at: Date.now(), path: req.url ?? '', headers: req.headers, eventIds: Array.isArray(data) ? data.map((d) => d.event_id) : [], body };
      requests.push(seen);
      const answer = current(seen, requests.length - 1);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setHandler(h: Handler) {
      current = h;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
