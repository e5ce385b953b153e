import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

// Google destination settings. Strict: a misspelt key (`conversion_action`) is an error at
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

/** Which Google API a destination sends through. */
export const GOOGLE_APIS = ['data_manager', 'google_ads'] as const;
export type GoogleApi = (typeof GOOGLE_APIS)[number];

/**
 * The Data Manager API takes at most 10 destinations per request (ErrorReason TOO_MANY_DESTINATIONS,
 * https://developers.google.com/data-manager/api/reference/rest/v1/ErrorReason); each mapped conversion action is
 * one destination, so a batch can always carry every mapped event.
 */
export const DATA_MANAGER_MAX_DESTINATIONS = 10;

/** Settings that only the Google Ads API path reads: naming them under the Data Manager API is an error. */
const GOOGLE_ADS_ONLY = ['developer_token', 'api_version', 'mode'] as const;

export const googleSettingsSchema = z
  .strictObject({
    ...destinationCommonSchema.shape,
    platform: z.literal('google'),
    /**
     * `data_manager` (default): POST datamanager.googleapis.com/v1/events:ingest, the path Google opens to new
     * accounts. `google_ads`: the Google Ads API ConversionUploadService, only for developer tokens still allowlisted.
     */
    api: z.enum(GOOGLE_APIS).default('data_manager'),
    customer_id: customerId,
    /** Manager (MCC) account the credentials belong to, when uploading through one. */
    login_customer_id: customerId.optional(),
    /** Google Ads API only. */
    developer_token: z.string().min(1, 'must not be empty').optional(),
    /** Google Ads API only. */
    api_version: z
      .string()
      .regex(/^v\d+$/, 'expected an API version such as "v26"')
      .optional(),
    /** Canonical event name → conversion action id. Only mapped events are sent (docs/CONFIGURATION.md "google"). */
    conversion_actions: z.record(z.string(), digits('a conversion action id')),
    oauth: z
      .strictObject({
        client_id: z.string().min(1, 'must not be empty'),
        client_secret: z.string().min(1, 'must not be empty'),
        refresh_token: z.string().min(1, 'must not be empty'),
      })
      .optional(),
    /** Path of a Google Cloud service-account JSON key file (JWT bearer grant, RFC 7523), instead of `oauth`. */
    service_account_key_file: z.string().min(1, 'must not be empty').optional(),
    /** A static access token instead of `oauth` (short-lived; for tests and external token managers). */
    access_token: z.string().min(1, 'must not be empty').optional(),
    /**
     * Google Ads API only. `click_conversions` (default): uploadClickConversions with click ids and hashed
     * email/phone. `adjustments`: enhanced conversions for web, uploadConversionAdjustments ENHANCEMENT by order id.
     */
    mode: z.enum(['click_conversions', 'adjustments']).optional(),
    /**
     * Data Manager API: seconds after an accepted request before its `requestStatus` is first asked (Google
     * processes ingested events asynchronously); later checks back off up to an hour, for at most a day.
     */
    status_check_after_sec: z.number().int().min(0).max(86_400).default(300),
    /** Cart data: Merchant Center account the items belong to. */
    merchant_id: digits('a Merchant Center id').optional(),
    feed_country_code: z.string().regex(/^[A-Za-z]{2}$/, 'expected an ISO-3166 alpha-2 code').transform((s) => s.toUpperCase()).optional(),
    feed_language_code: z.string().regex(/^[A-Za-z]{2}$/, 'expected an ISO-639-1 code').transform((s) => s.toLowerCase()).optional(),
    /**
     * What `matchkey reconcile --attributed platforms` reads the purchase conversion action's figures with (Google
     * Ads API searchStream, ./README.md "Attributed conversions (read)"): reading reports always needs a developer
     * token, whichever API uploads; the OAuth credentials above are used (they need the adwords scope).
     */
    reporting: z
      .strictObject({
        developer_token: z.string().min(1, 'must not be empty').optional(),
        api_version: z.string().regex(/^v\d+$/, 'expected an API version such as "v26"').optional(),
        access_token: z.string().min(1, 'must not be empty').optional(),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const credentials = [s.oauth, s.service_account_key_file, s.access_token].filter((c) => c !== undefined).length;
    if (credentials === 0) {
      ctx.addIssue({ code: 'custom', path: ['oauth'], message: 'expected oauth {client_id, client_secret, refresh_token}, service_account_key_file or access_token' });
    } else if (s.oauth && s.service_account_key_file) {
      ctx.addIssue({ code: 'custom', path: ['service_account_key_file'], message: 'expected either oauth or service_account_key_file, not both' });
    }
    if (s.api === 'google_ads') {
      if (s.developer_token === undefined) ctx.addIssue({ code: 'custom', path: ['developer_token'], message: 'required with api "google_ads"' });
      return;
    }
    for (const key of GOOGLE_ADS_ONLY) {
      if (s[key] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `used only with api "google_ads"; the Data Manager API (the default) needs no ${key} — remove it, or set api: "google_ads" if your developer token is still allowlisted for conversion uploads`,
        });
      }
    }
    const actions = new Set(Object.values(s.conversion_actions)).size;
    if (actions > DATA_MANAGER_MAX_DESTINATIONS) {
      ctx.addIssue({ code: 'custom', path: ['conversion_actions'], message: `at most ${DATA_MANAGER_MAX_DESTINATIONS} conversion actions per destination with the Data Manager API (one request carries at most ${DATA_MANAGER_MAX_DESTINATIONS} destinations)` });
    }
  });

export type GoogleSettings = z.output<typeof googleSettingsSchema>;

export const GOOGLE_SECRET_SETTINGS = ['developer_token', 'access_token', 'oauth.client_secret', 'oauth.refresh_token', 'reporting.developer_token', 'reporting.access_token'] as const;

/** What `matchkey preview` shows without a config: obvious placeholders, a conversion action for `purchase`. */
export const GOOGLE_PLACEHOLDER_SETTINGS: GoogleSettings = {
  id: 'google',
  platform: 'google',
  api: 'data_manager',
  customer_id: 'CUSTOMER_ID',
  conversion_actions: { purchase: 'CONVERSION_ACTION_ID' },
  access_token: 'ACCESS_TOKEN',
  status_check_after_sec: 300,
};
