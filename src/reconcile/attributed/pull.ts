import type { PlatformName } from '../../event/names.js';
import { readMetaAttributed } from '../../platforms/meta/attributed.js';
import type { MetaSettings } from '../../platforms/meta/settings.js';
import { readPinterestAttributed } from '../../platforms/pinterest/attributed.js';
import type { PinterestSettings } from '../../platforms/pinterest/settings.js';
import { googleReportingGap, readGoogleAttributed } from '../../platforms/google/attributed.js';
import type { GoogleSettings } from '../../platforms/google/settings.js';
import { readTikTokAttributed } from '../../platforms/tiktok/attributed.js';
import type { TikTokSettings } from '../../platforms/tiktok/settings.js';
import type { CommonSettings } from '../../platforms/types.js';
import type { AttributionWindow } from '../types.js';
import { AttributedReadError, type AttributedPullResult, type AttributedReadRange, type Fetch, type PulledAttribution } from './pulled.js';

// `--attributed platforms`: every enabled destination whose platform has a reporting API is read, one after the
// other (a handful of GETs), and each outcome is kept apart: figures, a classified failure, or why it was skipped.

interface Reader {
  /** What the destination lacks for the read (a config key to set), or null when it can be read. */
  missing(settings: CommonSettings): string | null;
  read(settings: CommonSettings, range: AttributedReadRange, fetchFn: Fetch): Promise<PulledAttribution>;
}

export const ATTRIBUTED_READERS: Partial<Record<PlatformName, Reader>> = {
  meta: {
    missing: (s) => ((s as MetaSettings).reporting ? null : 'set reporting.ad_account_id (and reporting.access_token when the Conversions API token has no ads_read on the ad account)'),
    read: (s, range, f) => readMetaAttributed(s as MetaSettings, range, f),
  },
  pinterest: {
    missing: () => null,
    read: (s, range, f) => readPinterestAttributed(s as PinterestSettings, range, f),
  },
  tiktok: {
    missing: (s) => ((s as TikTokSettings).reporting ? null : 'set reporting.advertiser_id and reporting.access_token (a Marketing API token with Reporting permission; the Events API token cannot read reports)'),
    read: (s, range, f) => readTikTokAttributed(s as TikTokSettings, range, f),
  },
  google: {
    missing: (s) => googleReportingGap(s as GoogleSettings),
    // The conversion action's own lookback window is what Google counted with: a --window cannot change it.
    read: (s, range, f) => readGoogleAttributed(s as GoogleSettings, { from: range.from, to: range.to }, f),
  },
};

export interface AttributedPullOptions {
  from: string;
  to: string;
  /** `--window` overrides per platform. */
  windows?: Partial<Record<PlatformName, AttributionWindow>>;
  fetchFn?: Fetch;
}

export async function pullAttributed(destinations: readonly CommonSettings[], opts: AttributedPullOptions): Promise<AttributedPullResult> {
  const result: AttributedPullResult = { pulled: [], failed: [], skipped: [] };
  for (const destination of destinations as readonly (CommonSettings & { enabled?: boolean })[]) {
    if (destination.enabled === false) continue;
    const reader = ATTRIBUTED_READERS[destination.platform];
    if (!reader) {
      result.skipped.push({ platform: destination.platform, destination_id: destination.id, kind: 'no_read_api', reason: 'Matchkey reads no attributed conversions from this platform' });
      continue;
    }
    const missing = reader.missing(destination);
    if (missing) {
      result.skipped.push({ platform: destination.platform, destination_id: destination.id, kind: 'not_configured', reason: missing });
      continue;
    }
    const window = opts.windows?.[destination.platform];
    try {
      result.pulled.push(await reader.read(destination, { from: opts.from, to: opts.to, ...(window ? { window } : {}) }, opts.fetchFn ?? fetch));
    } catch (err) {
      if (!(err instanceof AttributedReadError)) throw err;
      result.failed.push({ platform: destination.platform, destination_id: destination.id, error: err.error });
    }
  }
  return result;
}
