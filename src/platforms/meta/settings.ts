import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { destinationCommonSchema } from '../../config/schema.js';

/**
 * Graph API version Matchkey is built and tested against (./README.md;
 * github.com/facebook/facebook-nodejs-business-sdk src/api.js).
 */
export const META_API_VERSION = 'v26.0';

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Every request names its sender in `partner_agent` (Conversions API parameters: "partner_agent — allows you to
 * specify a platform from which you are sending events", developers.facebook.com/docs/marketing-api/conversions-api/parameters/server-event):
 * a stable `matchkey` prefix, so Meta's quality tools can filter Matchkey's events, and the version that built them.
 */
export const META_PARTNER_AGENT = `matchkey-${PACKAGE_VERSION}`;

/**
 * What to do with a `website` event that lacks `client_user_agent` or `event_source_url`, which Meta requires for
 * website events (./README.md "Website events without a user agent"):
 * - `send_as_other`: send it with `action_source: "other"` (non-web events only need action_source);
 * - `skip`: do not send it (recorded as skipped with reason `incomplete_website_event`);
 * - `send`: send it as `website` anyway.
 */
export const INCOMPLETE_WEBSITE_EVENT_MODES = ['send_as_other', 'skip', 'send'] as const;

// Strict: a misspelt key (`test_event_cod`) is an error naming it, not a test switch silently dropped while live
// events go out.
export const metaSettingsSchema = z
  .strictObject({
    ...destinationCommonSchema.shape,
    platform: z.literal('meta'),
    /** Pixel (dataset) id: the path segment of /{pixel_id}/events. */
    pixel_id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a pixel id such as "123456789012345"'),
    access_token: z.string().min(1, 'must not be empty'),
    /**
     * When set, every request carries appsecret_proof = hex(HMAC-SHA256(app_secret, access_token))
     * (https://developers.facebook.com/docs/graph-api/securing-requests).
     */
    app_secret: z.string().min(1).optional(),
    api_version: z.string().regex(/^v\d+\.\d+$/, 'expected a Graph API version such as "v26.0"').default(META_API_VERSION),
    /** From Events Manager → Test events. Sent (test mode) unless `test` is explicitly false. */
    test_event_code: z.string().min(1).optional(),
    incomplete_website_events: z.enum(INCOMPLETE_WEBSITE_EVENT_MODES).default('send_as_other'),
    /**
     * What `matchkey reconcile --attributed platforms` reads attributed purchases with (Insights API, ./README.md
     * "Attributed conversions (read)"): the ad account, and a token with `ads_read` when the Conversions API token
     * has no access to it.
     */
    reporting: z
      .strictObject({
        ad_account_id: z
          .string()
          .regex(/^(act_)?\d+$/, 'expected an ad account id such as "act_1234567890" or "1234567890"')
          .transform((s) => s.replace(/^act_/, '')),
        access_token: z.string().min(1, 'must not be empty').optional(),
      })
      .optional(),
  })
  .superRefine((s, ctx) => {
    // Meta has no test switch of its own: test mode IS the test_event_code (a body field). `test: true` without
    // one would silently send live events.
    if (s.test === true && !s.test_event_code) {
      ctx.addIssue({ code: 'custom', path: ['test_event_code'], message: 'required when test is true (Meta test mode is the test_event_code)' });
    }
  });

export type MetaSettings = z.output<typeof metaSettingsSchema>;

export const META_SECRET_SETTINGS = ['access_token', 'app_secret', 'reporting.access_token'] as const;

export function isMetaTestMode(settings: MetaSettings): boolean {
  return settings.test_event_code !== undefined && settings.test !== false;
}

export const META_PLACEHOLDER_SETTINGS: MetaSettings = {
  id: 'meta',
  platform: 'meta',
  pixel_id: 'PIXEL_ID',
  access_token: 'ACCESS_TOKEN',
  api_version: META_API_VERSION,
  incomplete_website_events: 'send_as_other',
};
