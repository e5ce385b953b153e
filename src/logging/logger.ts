import pino, { type DestinationStream, type Logger } from 'pino';

// One logger for the whole gateway. Raw identity never belongs in a log line; redaction is the second line of
// defence for a mistake (a whole event or order object logged by accident), not a licence to log them.
export const REDACT_PATHS = [
  '*.email',
  '*.phone',
  '*.phone_number',
  '*.first_name',
  '*.last_name',
  '*.street',
  '*.address1',
  '*.address2',
  '*.contact_email',
  '*.contact',
  '*.user',
  '*.customer',
  '*.billing_address',
  '*.shipping_address',
  'req.headers.authorization',
  'req.headers["x-shopify-hmac-sha256"]',
  '*.access_token',
  '*.api_key',
  '*.token',
];

export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const options = {
    level: opts.level ?? process.env.MATCHKEY_LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'matchkey' },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

export type { Logger };
