import type { Platform } from '../types.js';
import { classifyKlaviyo } from './classify.js';
import { klaviyoMetricName } from './names.js';
import { buildKlaviyoRequest } from './payload.js';
import { KLAVIYO_PLACEHOLDER_SETTINGS, KLAVIYO_SECRET_SETTINGS, klaviyoSettingsSchema, type KlaviyoSettings } from './settings.js';
import { klaviyoSkipReason } from './skip.js';

// Klaviyo Create Event. See README.md in this folder.

export type { KlaviyoSettings } from './settings.js';

export const klaviyo: Platform<KlaviyoSettings> = {
  name: 'klaviyo',
  // Create Event takes one event per request (the bulk endpoint is a separate API,
  // https://developers.klaviyo.com/en/reference/create_event).
  maxBatch: 1,
  eventName: (canonical) => klaviyoMetricName(canonical),
  settingsSchema: klaviyoSettingsSchema,
  placeholderSettings: KLAVIYO_PLACEHOLDER_SETTINGS,
  secretSettings: KLAVIYO_SECRET_SETTINGS,
  // Klaviyo has no test mode: every accepted event lands on a real profile.
  isTestMode: () => false,
  skipReason: (event) => klaviyoSkipReason(event),
  buildRequest: (events, settings) => buildKlaviyoRequest(events, settings),
  classify: classifyKlaviyo,
};
