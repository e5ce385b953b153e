// Meta click ids (PLATFORMS.md §1.4): `fb.<subdomainIndex>.<creationTimeMs>.<fbclid or random>`; Meta's newer
// param builder appends a 5th `.<appendix>` segment, which is valid (§0 "don't validate fbc as exactly 4
// segments"). A malformed fbc is dropped, never sent: Meta answers 2804001 and some integrations lose the
// whole event (USER-NEEDS item 8).

export type ClickIdResult = { ok: true; value: string; creationMs: number } | { ok: false; detail: string };

/** Checks the shape of a given `_fbc` (kind 'fbc') or `_fbp` (kind 'fbp') value. */
export function parseMetaClickCookie(raw: string, kind: 'fbc' | 'fbp'): ClickIdResult {
  const value = raw.trim();
  const segments = value.split('.');
  if (segments.length < 4 || segments.length > 5) return { ok: false, detail: 'expected fb.<n>.<ms>.<id> with an optional appendix' };
  const [prefix, subdomain, ms, id, appendix] = segments as [string, string, string, string, string | undefined];
  if (prefix !== 'fb') return { ok: false, detail: 'does not start with fb.' };
  if (subdomain.length !== 1 || !isDigits(subdomain)) return { ok: false, detail: 'subdomain index is not one digit' };
  if (ms.length !== 13 || !isDigits(ms)) return { ok: false, detail: 'creation time is not 13-digit milliseconds' };
  if (id.length === 0) return { ok: false, detail: kind === 'fbc' ? 'no fbclid' : 'no random id' };
  if (kind === 'fbp' ? !isDigits(id) : !isClickIdChars(id)) {
    return { ok: false, detail: kind === 'fbc' ? 'fbclid has characters outside [A-Za-z0-9_-]' : 'random id is not digits' };
  }
  if (appendix !== undefined && (appendix.length === 0 || !isClickIdChars(appendix))) return { ok: false, detail: 'malformed appendix' };
  return { ok: true, value, creationMs: Number(ms) };
}

/** A usable fbclid: the URL parameter's characters, kept exactly (case-sensitive, never re-encoded; §1.4). */
export function isValidFbclid(fbclid: string): boolean {
  return fbclid.length > 0 && fbclid.length <= 1000 && isClickIdChars(fbclid);
}

/** `fb.1.<ms>.<fbclid>`: subdomain index 1 (a registrable domain like shop.example), creation time in ms. */
export function deriveFbc(fbclid: string, creationMs: number): string {
  return `fb.1.${String(creationMs)}.${fbclid}`;
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return s.length > 0;
}

function isClickIdChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}
