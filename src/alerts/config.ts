import { z } from 'zod';

// The `alerts` section of the configuration (docs/ALERTS.md): where alerts go (channels) and what raises them
// (rules). Channel URLs and the SMTP password are secrets: write them as `${ENV}` and they are never printed.

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an absolute http(s) URL' });

const channelId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'expected an id of letters, digits, - and _');

export const alertChannelSchema = z.discriminatedUnion('type', [
  z.strictObject({ id: channelId, type: z.literal('webhook'), url: httpUrl }),
  z.strictObject({ id: channelId, type: z.literal('slack'), url: httpUrl }),
  z.strictObject({
    id: channelId,
    type: z.literal('email'),
    smtp: z.strictObject({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(587),
      /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
      secure: z.boolean().default(false),
      user: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
    }),
    from: z.string().min(3),
    to: z.array(z.string().min(3)).min(1),
  }),
]);

export type AlertChannel = z.output<typeof alertChannelSchema>;

export const ALERT_SOURCES = ['shopify', 'browser', 'api'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export const alertsSchema = z.strictObject({
  /** How often the rules are evaluated, in seconds. */
  interval_s: z.number().int().min(1).default(60),
  channels: z.array(alertChannelSchema).default([]),
  rules: z
    .strictObject({
      /** A destination the worker parked because the platform refused its credentials, permissions or settings. */
      destination_paused: z.boolean().default(true),
      /** Dead letters (dead or rejected deliveries) of one destination above this many. */
      dead_letters: z.strictObject({ above: z.number().int().min(0) }).optional(),
      /** Per platform: (accepted + deliberately skipped) / paid orders of record over the window, below this percent. */
      delivered_share: z
        .strictObject({
          below_percent: z.number().min(0).max(100),
          window_hours: z.number().positive().default(24),
          /** Orders paid in the last minutes are left out: their delivery may still be on its way. */
          settle_minutes: z.number().min(0).default(30),
          /** Fewer orders than this in the window: no verdict (one unsent order of two is not an incident). */
          min_orders: z.number().int().min(1).default(10),
        })
        .optional(),
      /**
       * A platform's own quality score (pulled Meta EMQ / Pinterest event quality score, or a `matchkey gauge`
       * reading) this many points below its best reading of the last `within_days` days, on the platform's own scale.
       */
      quality_drop: z
        .strictObject({
          points: z.number().positive(),
          within_days: z.number().int().min(1).max(90).default(7),
          /** Per-platform thresholds where the scales differ (Meta 0–10, Pinterest and TikTok 0–100); `points` for the others. */
          points_by_platform: z.strictObject({ meta: z.number().positive().optional(), pinterest: z.number().positive().optional(), tiktok: z.number().positive().optional(), google: z.number().positive().optional() }).optional(),
        })
        .optional(),
      /** No event from a source for this many hours (pixel or webhook disconnected). */
      no_events: z
        .strictObject({ hours: z.number().positive(), sources: z.array(z.enum(ALERT_SOURCES)).min(1).default([...ALERT_SOURCES]) })
        .optional(),
    })
    .prefault({}),
});

export type AlertsConfig = z.output<typeof alertsSchema>;
