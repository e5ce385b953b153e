import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HashedEvent } from '../../identity/types.js';
import { firstPartyCookies, requestCookie, VISITOR_COOKIE } from './first-party-cookies.js';

/** Adds the first-party Set-Cookie headers for a stored /collect event; nothing when marketing consent is denied. */
export function collectCookies(request: FastifyRequest, reply: FastifyReply, event: HashedEvent, domain: string | undefined): void {
  if (!event.consent.marketing) return;
  const visitorId = requestCookie(request.headers.cookie, VISITOR_COOKIE);
  reply.header('set-cookie', firstPartyCookies(event.user, { ...(domain ? { domain } : {}), ...(visitorId ? { visitorId } : {}) }));
}
