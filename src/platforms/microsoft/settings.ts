import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

// Strict: a misspelt key is an error naming it (src/config/load.ts suggests the closest), never silently ignored.
export const microsoftSettingsSchema = z.strictObject({
  ...destinationCommonSchema.shape,
  platform: z.literal('microsoft'),
  /** UET tag id: the path segment of https://capi.uet.microsoft.com/v1/{tag_id}/events (README "Settings"). */
  tag_id: z.string().regex(/^[0-9]+$/, 'expected a UET tag id of digits such as "343210987"'),
  /** Conversions API token of the UET tag, sent as `Authorization: Bearer …`. */
  access_token: z.string().min(1, 'must not be empty'),
  // Microsoft documents no test or validate mode for the UET Conversions API: `test: true` would send real events.
  test: z
    .boolean()
    .optional()
    .refine((v) => v !== true, 'Microsoft UET Conversions API has no test mode; use a separate UET tag for testing'),
});

export type MicrosoftSettings = z.output<typeof microsoftSettingsSchema>;

export const MICROSOFT_SECRET_SETTINGS = ['access_token'] as const;

export const MICROSOFT_PLACEHOLDER_SETTINGS: MicrosoftSettings = {
  id: 'microsoft',
  platform: 'microsoft',
  tag_id: '343210987',
  access_token: 'ACCESS_TOKEN',
};
