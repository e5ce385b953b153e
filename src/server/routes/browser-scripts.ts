import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Ga4Settings } from '../../platforms/ga4/index.js';
import type { GatewayContext } from '../context.js';

// GET /matchkey.js and GET /shopify-pixel.js (docs/BROWSER.md): the browser leg's scripts, read once from
// src/browser/ and served as written (readable source; matchkey.js is under 5 KB gzipped without minifying, a test
// checks it). Revalidated by ETag, cached for an hour so a fix reaches shops the same day; gzip when accepted.

const SCRIPT_DIR = new URL('../../browser/', import.meta.url);
const CACHE_CONTROL = 'public, max-age=3600';
const JS_TYPE = 'text/javascript; charset=utf-8';
/** Replaced in the pixel by this gateway's /collect URL, as the request reached it. */
export const COLLECT_URL_PLACEHOLDER = '__MATCHKEY_COLLECT_URL__';
/** Replaced in the pixel by the measurement ids of the configured GA4 destinations (their session cookies). */
export const GA4_MEASUREMENT_IDS_PLACEHOLDER = '__MATCHKEY_GA4_MEASUREMENT_IDS__';

export interface ServedScript {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

export function readScript(name: 'matchkey.js' | 'shopify-pixel.js'): string {
  return readFileSync(new URL(name, SCRIPT_DIR), 'utf8');
}

export function servedScript(source: string): ServedScript {
  const body = Buffer.from(source, 'utf8');
  return { body, gzipped: gzipSync(body, { level: 9 }), etag: `"${hash('sha256', body, 'hex').slice(0, 32)}"` };
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === etag || tag === '*';
  });
}

function sendScript(request: FastifyRequest, reply: FastifyReply, script: ServedScript, perHost = false): FastifyReply {
  // A script built from the request's Host must not be cached by a shared cache for other hosts (a poisoned Host
  // would then be served to every shopper): private, and varying on the headers it was built from.
  reply
    .header('content-type', JS_TYPE)
    .header('cache-control', perHost ? 'private, max-age=3600' : CACHE_CONTROL)
    .header('etag', script.etag)
    .header('vary', perHost ? 'Accept-Encoding, Host, X-Forwarded-Host, X-Forwarded-Proto' : 'Accept-Encoding');
  reply.header('x-content-type-options', 'nosniff');
  if (etagMatches(request.headers['if-none-match'], script.etag)) return reply.code(304).send();
  if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.header('content-encoding', 'gzip').send(script.gzipped);
  return reply.send(script.body);
}

/** The origin the browser used to reach this gateway (X-Forwarded-Proto/Host honoured only with trust_proxy). */
function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

export const browserScriptRoutes: FastifyPluginAsync<GatewayContext> = async (app, ctx) => {
  // server.public_url: the gateway as shoppers reach it; the pixel's /collect URL is built from it, never from
  // caller-controlled headers. Unset, the request's host is used and the answer is not cached publicly.
  const publicUrl = ctx.config.server.public_url;
  const matchkey = servedScript(readScript('matchkey.js'));
  const ga4Streams = ctx.config.destinations.flatMap((d) => (d.platform === 'ga4' ? [(d as Ga4Settings).measurement_id] : []));
  const pixelSource = readScript('shopify-pixel.js').replace(GA4_MEASUREMENT_IDS_PLACEHOLDER, ga4Streams.join(','));
  const pixels = new Map<string, ServedScript>();

  app.get('/matchkey.js', async (request, reply) => sendScript(request, reply, matchkey));

  app.get('/shopify-pixel.js', async (request, reply) => {
    const collectUrl = `${publicUrl ?? requestOrigin(request)}/collect`;
    let script = pixels.get(collectUrl);
    if (!script) {
      script = servedScript(pixelSource.replace(COLLECT_URL_PLACEHOLDER, collectUrl.replace(/['\\\n\r]/g, '')));
      // Host headers are caller-controlled: keep only a few variants.
      if (pixels.size > 16) pixels.clear();
      pixels.set(collectUrl, script);
    }
    return sendScript(request, reply, script, publicUrl === undefined);
  });
};
