import type { FastifyReply } from 'fastify';

// The gateway's error body (docs/DIAGNOSTICS.md, docs/RECONCILE.md): {"error":{"code","message","path"}}. Messages
// never echo a field's value.

export interface ErrorBody {
  error: { code: string; message: string; path: string };
}

export function errorBody(code: string, message: string, path = ''): ErrorBody {
  return { error: { code, message, path } };
}

export function replyError(reply: FastifyReply, status: number, code: string, message: string, path = ''): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(errorBody(code, message, path));
}
