// The browser leg's CORS allow-list (`sources.browser.allowed_origins`, docs/BROWSER.md). An origin is compared as
// scheme://host[:port], case-insensitively, without a trailing slash; `*` allows every real origin (a development
// convenience, documented as such). The opaque origin `null` is what a sandboxed iframe sends — Shopify runs
// custom pixels in one — so it is allowed only when listed literally as "null" (docs/BROWSER.md).

export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

export function originMatcher(allowed: readonly string[]): (origin: string | undefined) => boolean {
  const any = allowed.includes('*');
  const set = new Set(allowed.map(normalizeOrigin));
  return (origin) => {
    if (origin === undefined || origin === '') return false;
    if (origin === 'null') return set.has('null');
    return any || set.has(normalizeOrigin(origin));
  };
}
