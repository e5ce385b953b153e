import type { Platform } from '../types.js';
import { classifyTikTok } from './classify.js';
import { buildTikTokRequest, tiktokEventName, tiktokSkipReason } from './payload.js';
import { isTikTokTestMode, TIKTOK_PLACEHOLDER_SETTINGS, TIKTOK_SECRET_SETTINGS, tiktokSettingsSchema, type TikTokSettings } from './settings.js';

export type { TikTokSettings } from './settings.js';

/** TikTok Events API 2.0. Field mapping and decisions: ./README.md. */
export const tiktok: Platform<TikTokSettings> = {
  name: 'tiktok',
  // 1000 events in `data` (./README.md; rudderlabs/rudder-transformer maxBatchSizeV2).
  maxBatch: 1000,
  eventName: (canonical) => tiktokEventName(canonical),
  settingsSchema: tiktokSettingsSchema,
  placeholderSettings: TIKTOK_PLACEHOLDER_SETTINGS,
  secretSettings: TIKTOK_SECRET_SETTINGS,
  isTestMode: isTikTokTestMode,
  skipReason: (event) => tiktokSkipReason(event),
  buildRequest: (events, settings) => buildTikTokRequest(events, settings),
  classify: (response, batchSize) => classifyTikTok(response, batchSize),
};
