// The closed set of errors Matchkey deals in. Everything that can go wrong maps to one of these once, at the
// edge where it happens; nothing downstream matches on message strings.

/** Bad input from a caller: names the field (`path`, dotted, array indexes as numbers) and what was expected. */
export class InputError extends Error {
  readonly kind = 'validation' as const;
  constructor(
    readonly path: string,
    message: string,
    readonly code = 'invalid_input',
  ) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'InputError';
  }
}

/** Every problem of one configuration file, reported at once: each an InputError naming its key path. */
export class ConfigErrors extends InputError {
  constructor(
    readonly origin: string,
    readonly errors: readonly InputError[],
  ) {
    super(
      errors.length === 1 ? errors[0]!.path : '',
      errors.length === 1
        ? errors[0]!.message.slice(errors[0]!.path ? errors[0]!.path.length + 2 : 0)
        : `${errors.length} problems in ${origin}:\n${errors.map((e) => `  ${e.message}`).join('\n')}`,
      errors.length === 1 ? errors[0]!.code : 'config_invalid',
    );
    this.name = 'ConfigErrors';
  }
}

/** The outcome of one delivery attempt that did not succeed, as classified from the platform's answer. */
export type DeliveryError =
  /** Try again later; never before `retryAfterMs` when the platform named a deadline. */
  | { kind: 'retryable'; code: string; message: string; retryAfterMs?: number }
  /** The platform will never take this event as it is (bad parameter, too old, …). */
  | { kind: 'permanent'; code: string; message: string }
  /**
   * The credentials are wrong or expired, or lack a permission or access to the configured object (pixel,
   * account): nothing will go through until the operator fixes the destination.
   */
  | { kind: 'auth'; code: string; message: string };

export function retryable(code: string, message: string, retryAfterMs?: number): DeliveryError {
  return retryAfterMs === undefined ? { kind: 'retryable', code, message } : { kind: 'retryable', code, message, retryAfterMs };
}
export function permanent(code: string, message: string): DeliveryError {
  return { kind: 'permanent', code, message };
}
export function authFailure(code: string, message: string): DeliveryError {
  return { kind: 'auth', code, message };
}
