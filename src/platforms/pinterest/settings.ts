import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

// Strict: a misspelt key (`test_mode`) is an error at start-up, not a setting silently ignored.
export const pinterestSettingsSchema = z.strictObject({
  ...destinationCommonSchema.shape,
  platform: z.literal('pinterest'),
  /** Ad account id: the path segment of /v5/ad_accounts/{ad_account_id}/events (./README.md). */
  ad_account_id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected an ad account id such as "549755885175"'),
  /** Conversion access token from Ads Manager, sent as `Authorization: Bearer …`. */
  access_token: z.string().min(1, 'must not be empty'),
  partner_name: z.string().min(1).optional(),
  /**
   * What `matchkey reconcile --attributed platforms` reads checkout totals with (ad account analytics, ./README.md
   * "Attributed conversions (read)"): an OAuth token with `ads:read` when the conversion token lacks that scope.
   */
  reporting: z
    .strictObject({
      access_token: z.string().min(1, 'must not be empty').optional(),
    })
    .optional(),
});

export type PinterestSettings = z.output<typeof pinterestSettingsSchema>;

export const PINTEREST_SECRET_SETTINGS = ['access_token', 'reporting.access_token'] as const;

/** Pinterest's test mode is `?test=true`: validated, same responses, not recorded (./README.md). */
export function isPinterestTestMode(settings: PinterestSettings): boolean {
  return settings.test === true;
}

export const PINTEREST_PLACEHOLDER_SETTINGS: PinterestSettings = {
  id: 'pinterest',
  platform: 'pinterest',
  ad_account_id: 'AD_ACCOUNT_ID',
  access_token: 'ACCESS_TOKEN',
};
