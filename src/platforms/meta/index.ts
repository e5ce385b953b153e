import type { Platform } from '../types.js';
import { classifyMeta } from './classify.js';
import { buildMetaRequest, metaEventName, metaSkipReason } from './payload.js';
import { isMetaTestMode, META_PLACEHOLDER_SETTINGS, META_SECRET_SETTINGS, metaSettingsSchema, type MetaSettings } from './settings.js';

export type { MetaSettings } from './settings.js';

/** Meta Conversions API. Field mapping and decisions: ./README.md. */
export const meta: Platform<MetaSettings> = {
  name: 'meta',
  // 1000 events per request; events older than 7 days make Meta refuse the whole request (./README.md).
  maxBatch: 1000,
  maxEventAgeSec: 7 * 24 * 3600,
  eventName: (canonical) => metaEventName(canonical),
  settingsSchema: metaSettingsSchema,
  placeholderSettings: META_PLACEHOLDER_SETTINGS,
  secretSettings: META_SECRET_SETTINGS,
  isTestMode: isMetaTestMode,
  skipReason: metaSkipReason,
  buildRequest: (events, settings) => buildMetaRequest(events, settings),
  classify: (response, batchSize) => classifyMeta(response, batchSize),
};
