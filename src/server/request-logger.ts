import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

// Fastify gives every request a child logger (`request.log`, bound to its request id). pino builds a child by running
// its redaction over the bindings: ~3 µs a request in the profile of single-event POSTs, as much as validating the
// event. Request logging is off (app.ts), so nearly every request never logs a line: the child is built on the first.

type Log = (...args: unknown[]) => void;

class LazyRequestLogger {
  private built: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get logger(): FastifyBaseLogger {
    return (this.built ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.built?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  fatal(...args: unknown[]): void {
    (this.logger.fatal as Log)(...args);
  }
  error(...args: unknown[]): void {
    (this.logger.error as Log)(...args);
  }
  warn(...args: unknown[]): void {
    (this.logger.warn as Log)(...args);
  }
  info(...args: unknown[]): void {
    (this.logger.info as Log)(...args);
  }
  debug(...args: unknown[]): void {
    (this.logger.debug as Log)(...args);
  }
  trace(...args: unknown[]): void {
    (this.logger.trace as Log)(...args);
  }
  silent(...args: unknown[]): void {
    (this.logger.silent as Log)(...args);
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: the request's logger, built when it first logs. */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
