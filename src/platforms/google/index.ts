import type { Platform } from '../types.js';
import { classifyGoogle } from './classify.js';
import { classifyDataManager, classifyRequestStatus, requestIdOf } from './data-manager-classify.js';
import { buildDataManagerRequest, buildRequestStatusCheck, conversionActionId } from './data-manager.js';
import { fetchGoogleAccessToken } from './oauth.js';
import { buildGoogleRequest, conversionActionResource } from './payload.js';
import { GOOGLE_PLACEHOLDER_SETTINGS, GOOGLE_SECRET_SETTINGS, googleSettingsSchema, type GoogleSettings } from './settings.js';
import { googleSkipReason } from './skip.js';

// Google Ads conversions: through the Data Manager API (default) or, for allowlisted developer tokens, the Google Ads
// API (`api: "google_ads"`). See README.md in this folder.

export type { GoogleSettings } from './settings.js';

const CLICK_WINDOW_SEC = 90 * 24 * 3600;
/** Enhancement adjustments must reach Google within 24 h of the conversion (README "Enhanced conversions for web"). */
const ENHANCEMENT_WINDOW_SEC = 24 * 3600;

/** The classifier of each API, chosen per answer by its shape: Google Ads errors carry `GoogleAdsFailure` details. */
function classify(response: Parameters<typeof classifyGoogle>[0], batchSize: number): ReturnType<typeof classifyGoogle> {
  const body = response.body as { partialFailureError?: unknown; results?: unknown; error?: { details?: Array<{ '@type'?: string }> } } | undefined;
  const adsAnswer =
    (body && typeof body === 'object' && ('partialFailureError' in body || 'results' in body)) ||
    (body?.error?.details ?? []).some((d) => typeof d?.['@type'] === 'string' && d['@type'].includes('googleads'));
  return adsAnswer ? classifyGoogle(response, batchSize) : classifyDataManager(response, batchSize);
}

export const google: Platform<GoogleSettings> = {
  name: 'google',
  // ≤2000 events per request: IngestEventsRequest.events "At most 2000" and Google Ads API TOO_MANY_CONVERSIONS_IN_REQUEST.
  maxBatch: 2000,
  // Imports are refused once the click is older than the click-through window (at most 90 days); enhancement
  // adjustments once the conversion is older than 24 h.
  maxEventAgeSec: CLICK_WINDOW_SEC,
  maxEventAgeFor: (settings) => (settings.api === 'google_ads' && settings.mode === 'adjustments' ? ENHANCEMENT_WINDOW_SEC : CLICK_WINDOW_SEC),
  eventName: (canonical, settings) => (settings.api === 'google_ads' ? conversionActionResource(settings, canonical) : conversionActionId(settings, canonical)),
  settingsSchema: googleSettingsSchema,
  placeholderSettings: GOOGLE_PLACEHOLDER_SETTINGS,
  secretSettings: GOOGLE_SECRET_SETTINGS,
  isTestMode: (settings) => settings.test === true,
  skipReason: googleSkipReason,
  buildRequest: (events, settings, ctx) => (settings.api === 'google_ads' ? buildGoogleRequest(events, settings, ctx) : buildDataManagerRequest(events, settings, ctx)),
  fetchAccessToken: (settings, post) => fetchGoogleAccessToken(settings, post),
  classify,
  followUp: {
    ticket: requestIdOf,
    firstCheckAfterMs: (settings) => settings.status_check_after_sec * 1000,
    buildCheck: buildRequestStatusCheck,
    classifyCheck: classifyRequestStatus,
  },
};
