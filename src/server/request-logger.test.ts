import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { lazyRequestLogger } from './request-logger.js';

function capture(): { lines: Record<string, unknown>[]; logger: FastifyBaseLogger } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) as unknown as FastifyBaseLogger };
}

describe('lazyRequestLogger', () => {
  it('logs as the child would: bound to the request id, redacted, at the level asked', async () => {
    const { lines, logger } = capture();
    const log = lazyRequestLogger(logger, { reqId: 'req-7' }, {});
    expect(log.level).toBe('info');
    log.debug('not written');
    log.error({ user: { email: 'jane@example.com' }, code: 'x' }, 'request failed');
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ reqId: 'req-7', msg: 'request failed', code: 'x', user: { email: '[redacted]' }, level: 50 });
    expect(JSON.stringify(lines)).not.toContain('jane');
  });

  it('takes a route log level, and a level set later', async () => {
    const { lines, logger } = capture();
    const log = lazyRequestLogger(logger, { reqId: 'req-8' }, { level: 'warn' });
    expect(log.level).toBe('warn');
    log.info('not written');
    log.warn('written');
    log.level = 'error';
    log.warn('not written either');
    log.child({ part: 'x' }).error('from a child');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.msg)).toEqual(['written', 'from a child']);
    expect(lines[1]).toMatchObject({ reqId: 'req-8', part: 'x' });
  });
});
