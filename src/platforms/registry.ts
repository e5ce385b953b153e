import type { PlatformName } from '../event/names.js';
import type { CommonSettings, Platform } from './types.js';
import { meta } from './meta/index.js';
import { tiktok } from './tiktok/index.js';
import { pinterest } from './pinterest/index.js';
import { google } from './google/index.js';
import { klaviyo } from './klaviyo/index.js';
import { snapchat } from './snapchat/index.js';
import { microsoft } from './microsoft/index.js';
import { reddit } from './reddit/index.js';

export const PLATFORMS: Record<PlatformName, Platform<any>> = { meta, tiktok, pinterest, google, klaviyo, ga4, snapchat, microsoft, reddit };
import { ga4 } from './ga4/index.js';


export function platformFor(name: PlatformName): Platform<CommonSettings> {
  return PLATFORMS[name];
}
