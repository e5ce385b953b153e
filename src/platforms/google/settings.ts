import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

// Google Ads destination settings (PLATFORMS.md §4). Strict: a misspelt key (`conversion_action`) is an error at
// start-up, not a destination that silently sends nothing.

/** v26 is the latest active Google Ads API version (released 2026-10-14); pinning the newest gives the longest
 * runway before its sunset (Google sunsets each version about a year after release: v22 on 2026-10-07). */
export const GOOGLE_DEFAULT_API_VERSION = 'v26';

/** Google shows customer ids as `123-456-7890`; the API wants the 10 digits. */
const customerId = z
  .string()
  .trim()
  .regex(/^\d{3}-?\d{3}-?\d{4}$/, 'expected a 10-digit Google Ads customer id such as "123-456-7890"')
  .transform((s) => s.replace(/-/g, ''));

const digits = (what: string) =>
  z.union([z.string().trim().regex(/^\d+$/, `expected ${what} (digits only)`), z.number().int().nonnegative()]).transform(String);

export const googleSettingsSchema = z
  .strictObject({
    ...destinationCommonSchema.shape,
    platform: z.literal('google'),
    customer_id: customerId,
    /** Manager (MCC) account the credentials belong to, when uploading through one. */
    login_customer_id: customerId.optional(),
    developer_token: z.string().min(1, 'must not be empty'),
    api_version: z
      .string()
      .regex(/^v\d+$/, 'expected an API version such as "v26"')
      .default(GOOGLE_DEFAULT_API_VERSION),
    /** Canonical event name → conversion action id. Only mapped events are sent (DESIGN.md "Event names"). */
    conversion_actions: z.record(z.string(), digits('a conversion action id')),
    oauth: z
      .strictObject({
        client_id: z.string().min(1, 'must not be empty'),
        client_secret: z.string().min(1, 'must not be empty'),
        refresh_token: z.string().min(1, 'must not be empty'),
      })
      .optional(),
    /** A static access token instead of `oauth` (short-lived; for tests and external token managers). */
    access_token: z.string().min(1, 'must not be empty').optional(),
    /**
     * `click_conversions` (default): uploadClickConversions with click ids and hashed email/phone.
     * `adjustments`: enhanced conversions for web, uploadConversionAdjustments ENHANCEMENT keyed by order id.
     */
    mode: z.enum(['click_conversions', 'adjustments']).default('click_conversions'),
    /** Cart data (PLATFORMS.md §4 ClickConversion.cartData): Merchant Center feed the items belong to. */
    merchant_id: digits('a Merchant Center id').optional(),
    feed_country_code: z.string().regex(/^[A-Za-z]{2}$/, 'expected an ISO-3166 alpha-2 code').transform((s) => s.toUpperCase()).optional(),
    feed_language_code: z.string().regex(/^[A-Za-z]{2}$/, 'expected an ISO-639-1 code').transform((s) => s.toLowerCase()).optional(),
  })
  .superRefine((s, ctx) => {
    if (!s.oauth && !s.access_token) {
      ctx.addIssue({ code: 'custom', path: ['oauth'], message: 'expected oauth {client_id, client_secret, refresh_token} or access_token' });
    }
  });

export type GoogleSettings = z.output<typeof googleSettingsSchema>;

export const GOOGLE_SECRET_SETTINGS = ['developer_token', 'access_token', 'oauth.client_secret', 'oauth.refresh_token'] as const;

/** What `matchkey preview` shows without a config: obvious placeholders, a conversion action for `purchase`. */
export const GOOGLE_PLACEHOLDER_SETTINGS: GoogleSettings = {
  id: 'google',
  platform: 'google',
  customer_id: 'CUSTOMER_ID',
  developer_token: 'DEVELOPER_TOKEN',
  api_version: GOOGLE_DEFAULT_API_VERSION,
  conversion_actions: { purchase: 'CONVERSION_ACTION_ID' },
  access_token: 'ACCESS_TOKEN',
  mode: 'click_conversions',
};
