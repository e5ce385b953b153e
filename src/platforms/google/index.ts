import type { Platform } from '../types.js';

// Placeholder until the platform builder lands.
export const google = undefined as unknown as Platform;
