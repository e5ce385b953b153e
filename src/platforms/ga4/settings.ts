import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

// Strict: a misspelt key is an error naming it (src/config/load.ts suggests the closest), never silently ignored.
export const ga4SettingsSchema = z.strictObject({
  ...destinationCommonSchema.shape,
  platform: z.literal('ga4'),
  /** Admin → Data collection and modification → Data streams → <web stream> → Measurement ID (`G-…`, not the stream id). */
  measurement_id: z.string().regex(/^G-[A-Z0-9]{4,20}$/, 'expected a web stream measurement id such as "G-ABC123XYZ9" (not the numeric stream id)'),
  /** Same stream → Measurement Protocol API secrets → Create: the "Secret value". Sent as the `api_secret` query parameter. */
  api_secret: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'expected the secret value of a Measurement Protocol API secret'),
  /** `eu` sends to region1.google-analytics.com, which processes the data in the EU (Measurement Protocol reference "Transport"). */
  region: z.enum(['global', 'eu']).default('global'),
});

export type Ga4Settings = z.output<typeof ga4SettingsSchema>;

export const GA4_SECRET_SETTINGS = ['api_secret'] as const;

/** Test mode posts to the validation server (/debug/mp/collect): validated, answered with validationMessages, never recorded. */
export function isGa4TestMode(settings: Ga4Settings): boolean {
  return settings.test === true;
}

export const GA4_PLACEHOLDER_SETTINGS: Ga4Settings = {
  id: 'ga4',
  platform: 'ga4',
  measurement_id: 'G-MEASUREMENT',
  api_secret: 'API_SECRET_VALUE',
  region: 'global',
};
