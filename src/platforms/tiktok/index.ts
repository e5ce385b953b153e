import type { Platform } from '../types.js';

// Placeholder until the platform builder lands.
export const tiktok = undefined as unknown as Platform;
