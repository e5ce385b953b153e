// Exponential backoff with full jitter (a uniformly random wait in [0, min(cap, base·2^(n-1)))): retries of many
// rows that failed together spread out instead of returning as one burst.

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 10 * 60_000;
/** An auth failure will not heal by itself: retry rarely until the operator fixes the credentials. */
export const AUTH_RETRY_MS = 10 * 60_000;

/** Wait before attempt `attempt + 1`, after `attempt` failed attempts (attempt >= 1). */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.floor(random() * ceiling);
}
