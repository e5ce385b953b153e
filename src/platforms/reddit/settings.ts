import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

// Strict: a misspelt key is an error naming it (src/config/load.ts suggests the closest), never silently ignored.
export const redditSettingsSchema = z
  .strictObject({
    ...destinationCommonSchema.shape,
    platform: z.literal('reddit'),
    /** Reddit Pixel id: the path segment of /api/v3/pixels/{pixel_id}/conversion_events (README "Settings"). */
    pixel_id: z.string().regex(/^[A-Za-z0-9_]+$/, 'expected a Reddit Pixel id such as "a2_abcdef123456" or "t2_abcdef"'),
    /** Conversion access token from Events Manager, sent as `Authorization: Bearer …`. */
    access_token: z.string().min(1, 'must not be empty'),
    /** The test id Events Manager shows under "Test events"; required with `test: true`. */
    test_id: z.string().min(1, 'must not be empty').optional(),
  })
  .refine((s) => s.test !== true || s.test_id !== undefined, { message: 'test: true needs the test_id shown in Reddit Events Manager → Test events', path: ['test_id'] });

export type RedditSettings = z.output<typeof redditSettingsSchema>;

export const REDDIT_SECRET_SETTINGS = ['access_token'] as const;

/** Reddit's test mode is `data.test_id`: events show under Test events in Events Manager and are not counted. */
export function isRedditTestMode(settings: RedditSettings): boolean {
  return settings.test === true;
}

export const REDDIT_PLACEHOLDER_SETTINGS: RedditSettings = {
  id: 'reddit',
  platform: 'reddit',
  pixel_id: 'PIXEL_ID',
  access_token: 'ACCESS_TOKEN',
};
