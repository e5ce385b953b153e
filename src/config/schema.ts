import { z } from 'zod';
import { alertsSchema } from '../alerts/config.js';
import { PLATFORM_NAMES } from '../event/names.js';

// The configuration file (docs/CONFIGURATION.md). Destinations are validated in two steps: the
// common shape here, then each against its platform's own settings schema (src/platforms/<p>/), so a newcomer
// finds a platform's settings in its folder.

export const destinationCommonSchema = z.looseObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'expected an id of letters, digits, - and _'),
  platform: z.enum(PLATFORM_NAMES),
  base_url: z.url({ protocol: /^https?$/, error: 'expected scheme://host[:port]' }).optional(),
  test: z.boolean().optional(),
  enabled: z.boolean().optional(),
  /** Whether browser-only events (page_view, add_to_cart, …) are also sent server-side (browser-leg issue). */
  send_browser_events: z.boolean().optional(),
});

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      /**
       * Which proxies in front of the gateway are trusted to write X-Forwarded-For (docs/BROWSER.md "Client IP"): `false`
       * (none), a number of hops (`true` = 1, the one reverse proxy), or the proxies' addresses / CIDRs. The client is
       * the right-most address not written by a trusted proxy (Fastify's `trustProxy`, proxy-addr).
       */
      trust_proxy: z
        .union([z.boolean(), z.number().int().min(1).max(16), z.array(z.string().min(1)).min(1)])
        .default(false)
        .transform((v) => (v === true ? 1 : v)),
      /** The gateway as shoppers reach it (`https://matchkey.shop.example`): the scripts' /collect URL is built from it. */
      public_url: z
        .url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL such as https://matchkey.shop.example' })
        .transform((u) => u.replace(/\/+$/, ''))
        .optional(),
      /** A bearer token /metrics requires (`Authorization: Bearer <token>`); unset, /metrics is open. */
      metrics_token: z.string().min(16, 'expected at least 16 characters').optional(),
      /** Hardening limits (docs/RELIABILITY.md "Attacks tried"). */
      limits: z
        .strictObject({
          /** Deepest JSON nesting accepted in any body, checked before anything else (400 `too_deep`). */
          max_json_depth: z.number().int().min(4).max(256).default(32),
          /** A whole request (headers and body) must arrive within this time (Node `requestTimeout`). */
          request_timeout_ms: z.number().int().min(1000).default(30_000),
          /** The headers must arrive within this time (Node `headersTimeout`). */
          headers_timeout_ms: z.number().int().min(1000).default(10_000),
          /**
           * An idle keep-alive connection is closed after this time (Node `keepAliveTimeout`). Above the 60 s idle
           * timeout of common load balancers, which must close first or they forward to a closed socket (502).
           */
          keep_alive_timeout_ms: z.number().int().min(100).default(72_000),
          /** A socket with no traffic at all is closed after this time (the backstop beyond keep-alive). */
          connection_timeout_ms: z.number().int().min(1000).default(75_000),
        })
        .prefault({}),
    })
    .prefault({}),
  storage: z.strictObject({ url: z.string().default('sqlite:./data/matchkey.db') }).prefault({}),
  admin_token: z.string().min(16, 'expected at least 16 characters').optional(),
  /** Region for phones written without a country code when the event has no user.country. */
  default_country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'expected an ISO-3166 alpha-2 code such as "US"')
    .transform((c) => c.toUpperCase())
    .optional(),
  /** Currency of an API purchase sent without commerce.currency; without it such a purchase is refused (400). */
  default_currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'expected an ISO-4217 code such as "USD"')
    .transform((c) => c.toUpperCase())
    .optional(),
  /**
   * Consent for events that carry none (`consent.marketing` absent): the default, and per-country rules (ISO alpha-2
   * or `EEA`). A denied event is stored and skipped for every destination (`consent_denied`).
   */
  consent: z
    .strictObject({
      default: z.enum(['granted', 'denied']).default('granted'),
      countries: z
        .record(
          z.string().regex(/^(?:[A-Z]{2}|EEA)$/, 'expected an upper-case ISO-3166 alpha-2 code such as "DE", or "EEA"'),
          z.enum(['granted', 'denied']),
        )
        .default({}),
    })
    .prefault({}),
  /** The gateway's own public addresses, flagged as SERVER_IP when they appear as a shopper's IP. */
  server_ips: z.array(z.string()).default([]),
  sources: z
    .strictObject({
      api_keys: z.array(z.string().min(16, 'expected at least 16 characters')).default([]),
      shopify: z.strictObject({ webhook_secrets: z.array(z.string().min(1)).min(1) }).optional(),
      browser: z
        .strictObject({
          allowed_origins: z.array(z.string()).default([]),
          /**
           * POST /collect, per client IP (token bucket in memory): steady events per second and burst
           * (docs/BROWSER.md).
           */
          rate_limit: z
            .strictObject({ per_second: z.number().positive().default(10), burst: z.number().int().min(1).default(50) })
            .prefault({}),
          /** The largest POST /collect body, in bytes. */
          max_body_bytes: z.number().int().min(1024).max(1024 * 1024).default(64 * 1024),
          /**
           * Domain of the first-party cookies /collect sets, when the gateway is served from a subdomain of the shop
           * (collect.shop.example → "shop.example"). Unset: host-only cookies of the gateway's own host.
           */
          cookie_domain: z
            .string()
            .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i, 'expected a domain such as "shop.example"')
            .optional(),
        })
        .optional(),
    })
    .prefault({}),
  delivery: z
    .strictObject({
      /** Attempts before a retryable failure ends dead… */
      max_attempts: z.number().int().min(1).default(12),
      /** …and hours since the first attempt; both must be reached. */
      max_hours: z.number().min(0).default(24),
      request_timeout_ms: z.number().int().min(100).default(10_000),
      /**
       * The longest pause a platform's Retry-After may impose on a destination, in seconds (a year-long value would
       * park it silently); longer values are capped and logged.
       */
      max_retry_after_s: z.number().int().min(1).default(3600),
    })
    .prefault({}),
  destinations: z.array(destinationCommonSchema).default([]),
  /** Alert rules and where alerts go (docs/ALERTS.md); absent: no alerts. */
  alerts: alertsSchema.optional(),
});

export type MatchkeyConfigInput = z.input<typeof configSchema>;
export type MatchkeyConfig = z.output<typeof configSchema>;
export type DestinationCommon = z.output<typeof destinationCommonSchema>;
