import type { Platform } from '../types.js';
import { classifySnapchat } from './classify.js';
import { buildSnapchatRequest, snapchatEventName, snapchatSkipReason } from './payload.js';
import { isSnapchatTestMode, SNAPCHAT_PLACEHOLDER_SETTINGS, SNAPCHAT_SECRET_SETTINGS, snapchatSettingsSchema, type SnapchatSettings } from './settings.js';

export type { SnapchatSettings } from './settings.js';

/** Snapchat Conversions API v3. Field mapping, limits and sources: ./README.md. */
export const snapchat: Platform<SnapchatSettings> = {
  name: 'snapchat',
  // `data` holds up to 2,000 events; events may be up to 37 days old (README "Limits").
  maxBatch: 2000,
  maxEventAgeSec: 37 * 24 * 3600,
  eventName: (canonical) => snapchatEventName(canonical),
  settingsSchema: snapchatSettingsSchema,
  placeholderSettings: SNAPCHAT_PLACEHOLDER_SETTINGS,
  secretSettings: SNAPCHAT_SECRET_SETTINGS,
  isTestMode: isSnapchatTestMode,
  skipReason: (event) => snapchatSkipReason(event),
  buildRequest: (events, settings) => buildSnapchatRequest(events, settings),
  classify: (response, batchSize) => classifySnapchat(response, batchSize),
};
