import type { DeliveryError } from '../../errors.js';

/** A failed token exchange, carrying its DeliveryError so the worker can treat it like a classified answer. */
export class TokenExchangeError extends Error {
  readonly kind: DeliveryError['kind'];
  readonly code: string;
  readonly retryAfterMs: number | undefined;
  constructor(readonly error: DeliveryError) {
    super(error.message);
    this.name = 'TokenExchangeError';
    this.kind = error.kind;
    this.code = error.code;
    this.retryAfterMs = error.kind === 'retryable' ? error.retryAfterMs : undefined;
  }
}
