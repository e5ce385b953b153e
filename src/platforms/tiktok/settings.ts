import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

// Strict: a misspelt key (`test_event_cod`) is an error naming it, not a test switch silently dropped while live
// events go out.
export const tiktokSettingsSchema = z
  .strictObject({
    ...destinationCommonSchema.shape,
    platform: z.literal('tiktok'),
    /** Pixel code from Events Manager: `event_source_id` of every request (./README.md). */
    pixel_code: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a pixel code such as "C4ABCDEF12345"'),
    /** Events API access token, sent as the `Access-Token` header. */
    access_token: z.string().min(1, 'must not be empty'),
    /** From Events Manager → Test events. Sent (test mode) unless `test` is explicitly false. */
    test_event_code: z.string().min(1).optional(),
    partner_name: z.string().min(1).optional(),
    /**
     * What `matchkey reconcile --attributed platforms` reads complete payments with (Marketing API integrated report,
     * ./README.md "Attributed conversions (read)"): the advertiser and a Marketing API token with Reporting permission
     * (the Events API token cannot read reports).
     */
    reporting: z
      .strictObject({
        advertiser_id: z.union([z.string().trim().regex(/^\d+$/, 'expected an advertiser id (digits only)'), z.number().int().nonnegative()]).transform(String),
        access_token: z.string().min(1, 'must not be empty'),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    // TikTok's only test switch is the test_event_code (./README.md): `test: true` without one would send live events.
    if (s.test === true && !s.test_event_code) {
      ctx.addIssue({ code: 'custom', path: ['test_event_code'], message: 'required when test is true (TikTok test mode is the test_event_code)' });
    }
  });

export type TikTokSettings = z.output<typeof tiktokSettingsSchema>;

export const TIKTOK_SECRET_SETTINGS = ['access_token', 'reporting.access_token'] as const;

export function isTikTokTestMode(settings: TikTokSettings): boolean {
  return settings.test_event_code !== undefined && settings.test !== false;
}

export const TIKTOK_PLACEHOLDER_SETTINGS: TikTokSettings = {
  id: 'tiktok',
  platform: 'tiktok',
  pixel_code: 'PIXEL_CODE',
  access_token: 'ACCESS_TOKEN',
};
