import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

// Strict: a misspelt key is an error naming it (src/config/load.ts suggests the closest), never silently ignored.
export const snapchatSettingsSchema = z.strictObject({
  ...destinationCommonSchema.shape,
  platform: z.literal('snapchat'),
  /** Snap Pixel id: the path segment of https://tr.snapchat.com/v3/{pixel_id}/events (README "Settings"). */
  pixel_id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a Snap Pixel id such as "b3b2f3c6-9a1e-4d6f-8a55-1d2f3e4a5b6c"'),
  /** Conversions API token from Ads Manager → Business Details, sent as the `access_token` query parameter. */
  access_token: z.string().min(1, 'must not be empty'),
});

export type SnapchatSettings = z.output<typeof snapchatSettingsSchema>;

export const SNAPCHAT_SECRET_SETTINGS = ['access_token'] as const;

/** Snap's test mode is the validate endpoint /v3/{pixel_id}/events/validate: checked, never counted. */
export function isSnapchatTestMode(settings: SnapchatSettings): boolean {
  return settings.test === true;
}

export const SNAPCHAT_PLACEHOLDER_SETTINGS: SnapchatSettings = {
  id: 'snapchat',
  platform: 'snapchat',
  pixel_id: 'PIXEL_ID',
  access_token: 'ACCESS_TOKEN',
};
