import type { Platform } from '../types.js';
import { classifyGoogle } from './classify.js';
import { fetchGoogleAccessToken } from './oauth.js';
import { buildGoogleRequest, conversionActionResource } from './payload.js';
import { GOOGLE_PLACEHOLDER_SETTINGS, GOOGLE_SECRET_SETTINGS, googleSettingsSchema, type GoogleSettings } from './settings.js';
import { googleSkipReason } from './skip.js';

// Google Ads click-conversion uploads (or enhanced-conversion adjustments). See README.md in this folder.

export type { GoogleSettings } from './settings.js';

export const google: Platform<GoogleSettings> = {
  name: 'google',
  // ≤2000 conversions (or adjustments) per request (PLATFORMS.md §4, TOO_MANY_CONVERSIONS_IN_REQUEST above 2000).
  maxBatch: 2000,
  // Imports are refused once the click is older than the click-through window, at most 90 days.
  maxEventAgeSec: 90 * 24 * 3600,
  eventName: (canonical, settings) => conversionActionResource(settings, canonical),
  settingsSchema: googleSettingsSchema,
  placeholderSettings: GOOGLE_PLACEHOLDER_SETTINGS,
  secretSettings: GOOGLE_SECRET_SETTINGS,
  isTestMode: (settings) => settings.test === true,
  skipReason: googleSkipReason,
  buildRequest: buildGoogleRequest,
  fetchAccessToken: (settings, post) => fetchGoogleAccessToken(settings, post),
  classify: classifyGoogle,
};
