import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { GatewayContext } from '../context.js';

// The dashboard's built assets (web/dist, made by `npm run build`, which `npm install` runs as `prepare`) at `/`.
// The shell is public: it holds no data and asks for the admin token before making any call; every data call goes
// to the /api routes, which check the token. Pages are hash-routed (#/overview), so only `/` serves HTML.

export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// No inline script, no third-party origin; the token only ever travels in an Authorization header to 'self'.
// Inline styles are allowed because the chart library positions its cursor and legend with style attributes.
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Matchkey — dashboard not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2430}code{background:#eef0f4;padding:.1rem .3rem;border-radius:4px}</style>
</head><body><h1>The dashboard is not built yet</h1>
<p>The gateway is running; only the dashboard's files are missing. Build them once with</p>
<pre><code>npm run build</code></pre>
<p>(<code>npm install</code> and <code>npm ci</code> do this automatically), then reload this page.</p>
</body></html>`;

export interface DashboardOptions {
  /** Where the built assets are (default web/dist of this checkout). */
  distDir?: string;
}

/** Asset names as Vite emits them: no directories, no dot-files, nothing to traverse with. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export const dashboardRoutes: FastifyPluginAsync<GatewayContext & DashboardOptions> = async (app, opts) => {
  const distDir = opts.distDir ?? DEFAULT_DIST_DIR;

  const sendIndex = async (reply: FastifyReply) => {
    let html: string;
    try {
      html = await readFile(`${distDir}/index.html`, 'utf8');
    } catch {
      return reply.code(503).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    }
    // The shell names the current hashed assets: never cached, so a rebuild is picked up on reload.
    return reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };

  app.get('/', async (_request, reply) => sendIndex(reply));

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const name = request.params.name;
    const type = TYPES[extname(name)];
    if (!ASSET_NAME.test(name) || !type) return reply.callNotFound();
    let body: Buffer;
    try {
      body = await readFile(`${distDir}/assets/${name}`);
    } catch {
      return reply.callNotFound();
    }
    // Vite puts a content hash in every asset name.
    return reply.headers(SECURITY_HEADERS).header('cache-control', 'public, max-age=31536000, immutable').type(type).send(body);
  });
};
