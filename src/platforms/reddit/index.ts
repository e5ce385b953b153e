import type { Platform } from '../types.js';
import { classifyReddit } from './classify.js';
import { buildRedditRequest, redditEventName, redditSkipReason } from './payload.js';
import { isRedditTestMode, REDDIT_PLACEHOLDER_SETTINGS, REDDIT_SECRET_SETTINGS, redditSettingsSchema, type RedditSettings } from './settings.js';

export type { RedditSettings } from './settings.js';

/** Reddit Conversions API v3. Field mapping, limits and sources: ./README.md. */
export const reddit: Platform<RedditSettings> = {
  name: 'reddit',
  // Few requests, many events each: up to 1,000 events a request; events must be sent within 7 days (README "Limits").
  maxBatch: 1000,
  maxEventAgeSec: 7 * 24 * 3600,
  eventName: (canonical) => redditEventName(canonical),
  settingsSchema: redditSettingsSchema,
  placeholderSettings: REDDIT_PLACEHOLDER_SETTINGS,
  secretSettings: REDDIT_SECRET_SETTINGS,
  isTestMode: isRedditTestMode,
  skipReason: (event) => redditSkipReason(event),
  buildRequest: (events, settings) => buildRedditRequest(events, settings),
  classify: (response, batchSize) => classifyReddit(response, batchSize),
};
