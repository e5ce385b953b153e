import type { Platform } from '../types.js';
import { classifyGa4 } from './classify.js';
import { ga4Findings } from './lint.js';
import { ga4EventName } from './names.js';
import { buildGa4Request, ga4SkipReason, GA4_LIMITS } from './payload.js';
import { GA4_PLACEHOLDER_SETTINGS, GA4_SECRET_SETTINGS, ga4SettingsSchema, isGa4TestMode, type Ga4Settings } from './settings.js';

export type { Ga4Settings } from './settings.js';

/** Google Analytics 4 through the Measurement Protocol. Field mapping, limits and sources: ./README.md. */
export const ga4: Platform<Ga4Settings> = {
  name: 'ga4',
  // client_id, user_id, user_data and consent are request-level: a request speaks for one shopper. The protocol takes
  // up to 25 events per request, but a batch of the worker mixes shoppers, so each event goes on its own.
  maxBatch: 1,
  maxEventAgeSec: GA4_LIMITS.maxAgeSec,
  sendsRefunds: true,
  // GA4 has no event_id deduplication: the site's gtag already sends page views, carts and checkouts.
  browserEventsByDefault: false,
  eventName: (canonical) => ga4EventName(canonical),
  settingsSchema: ga4SettingsSchema,
  placeholderSettings: GA4_PLACEHOLDER_SETTINGS,
  secretSettings: GA4_SECRET_SETTINGS,
  isTestMode: isGa4TestMode,
  skipReason: (event) => ga4SkipReason(event),
  buildRequest: (events, settings) => buildGa4Request(events, settings),
  classify: (response, batchSize) => classifyGa4(response, batchSize),
  lint: (event) => ga4Findings(event),
};
