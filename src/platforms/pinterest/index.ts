import type { Platform } from '../types.js';
import { classifyPinterest } from './classify.js';
import { buildPinterestRequest, pinterestEventName, pinterestSkipReason } from './payload.js';
import {
  isPinterestTestMode,
  PINTEREST_PLACEHOLDER_SETTINGS,
  PINTEREST_SECRET_SETTINGS,
  pinterestSettingsSchema,
  type PinterestSettings,
} from './settings.js';

export type { PinterestSettings } from './settings.js';

/** Pinterest Conversions API v5. Field mapping and decisions: ./README.md. */
export const pinterest: Platform<PinterestSettings> = {
  name: 'pinterest',
  // `data` holds 1..1000 events (./README.md).
  maxBatch: 1000,
  eventName: (canonical) => pinterestEventName(canonical),
  settingsSchema: pinterestSettingsSchema,
  placeholderSettings: PINTEREST_PLACEHOLDER_SETTINGS,
  secretSettings: PINTEREST_SECRET_SETTINGS,
  isTestMode: isPinterestTestMode,
  skipReason: (event) => pinterestSkipReason(event),
  buildRequest: (events, settings) => buildPinterestRequest(events, settings),
  classify: (response, batchSize) => classifyPinterest(response, batchSize),
};
