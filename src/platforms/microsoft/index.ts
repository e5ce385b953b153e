import type { Platform } from '../types.js';
import { classifyMicrosoft } from './classify.js';
import { buildMicrosoftRequest, microsoftEventName, microsoftSkipReason } from './payload.js';
import { MICROSOFT_PLACEHOLDER_SETTINGS, MICROSOFT_SECRET_SETTINGS, microsoftSettingsSchema, type MicrosoftSettings } from './settings.js';

export type { MicrosoftSettings } from './settings.js';

/** Microsoft Advertising UET Conversions API. Field mapping, limits and sources: ./README.md. */
export const microsoft: Platform<MicrosoftSettings> = {
  name: 'microsoft',
  maxBatch: 1000,
  eventName: (canonical) => microsoftEventName(canonical),
  settingsSchema: microsoftSettingsSchema,
  placeholderSettings: MICROSOFT_PLACEHOLDER_SETTINGS,
  secretSettings: MICROSOFT_SECRET_SETTINGS,
  // No test mode exists; the settings refuse `test: true`.
  isTestMode: () => false,
  skipReason: (event) => microsoftSkipReason(event),
  buildRequest: (events, settings) => buildMicrosoftRequest(events, settings),
  classify: (response, batchSize) => classifyMicrosoft(response, batchSize),
};
