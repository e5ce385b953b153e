import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

// Klaviyo destination settings (./README.md). Strict, so a misspelt key is an error at start-up.

/** The latest Klaviyo API revision (developers.klaviyo.com, 2026-10-15). Pinned: a revision is a wire contract. */
export const KLAVIYO_DEFAULT_REVISION = '2026-10-15';

export const klaviyoSettingsSchema = z.strictObject({
  ...destinationCommonSchema.shape,
  platform: z.literal('klaviyo'),
  /** Private API key with the events:write scope. */
  api_key: z.string().min(1, 'must not be empty'),
  revision: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/, 'expected a revision date such as "2026-10-15"')
    .default(KLAVIYO_DEFAULT_REVISION),
});

export type KlaviyoSettings = z.output<typeof klaviyoSettingsSchema>;

export const KLAVIYO_SECRET_SETTINGS = ['api_key'] as const;

export const KLAVIYO_PLACEHOLDER_SETTINGS: KlaviyoSettings = {
  id: 'klaviyo',
  platform: 'klaviyo',
  api_key: 'KLAVIYO_PRIVATE_API_KEY',
  revision: KLAVIYO_DEFAULT_REVISION,
};
