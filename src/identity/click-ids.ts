// Meta click ids (https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc):
// `fb.<subdomainIndex>.<creationTimeMs>.<fbclid or random>`; Meta's newer param builder appends a 5th `.<appendix>`
// segment, which is valid ("don't validate fbc as exactly 4 segments"). A malformed fbc is dropped, never sent: Meta
// answers 2804001 and some integrations lose the whole event (operators reported losing events this way).

export type ClickIdResult = { ok: true; value: string; creationMs: number } | { ok: false; detail: string };

const SHAPE = 'expected fb.<n>.<ms>.<id> with an optional appendix';

/**
 * Checks the shape of a given `_fbc` (kind 'fbc') or `_fbp` (kind 'fbp') value. Most website events carry one or
 * both cookies, so the segments are found with indexOf and checked in place rather than split into strings.
 */
export function parseMetaClickCookie(raw: string, kind: 'fbc' | 'fbp'): ClickIdResult {
  const value = raw.trim();
  const end = value.length;
  const dot1 = value.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : value.indexOf('.', dot1 + 1);
  const dot3 = dot2 < 0 ? -1 : value.indexOf('.', dot2 + 1);
  if (dot3 < 0) return { ok: false, detail: SHAPE };
  const dot4 = value.indexOf('.', dot3 + 1);
  if (dot4 >= 0 && value.indexOf('.', dot4 + 1) >= 0) return { ok: false, detail: SHAPE };
  if (dot1 !== 2 || !value.startsWith('fb')) return { ok: false, detail: 'does not start with fb.' };
  if (dot2 - dot1 - 1 !== 1 || !isDigits(value, dot1 + 1, dot2)) return { ok: false, detail: 'subdomain index is not one digit' };
  if (dot3 - dot2 - 1 !== 13 || !isDigits(value, dot2 + 1, dot3)) return { ok: false, detail: 'creation time is not 13-digit milliseconds' };
  const idEnd = dot4 < 0 ? end : dot4;
  if (idEnd === dot3 + 1) return { ok: false, detail: kind === 'fbc' ? 'no fbclid' : 'no random id' };
  if (kind === 'fbp' ? !isDigits(value, dot3 + 1, idEnd) : !isClickIdChars(value, dot3 + 1, idEnd)) {
    return { ok: false, detail: kind === 'fbc' ? 'fbclid has characters outside [A-Za-z0-9_-]' : 'random id is not digits' };
  }
  if (dot4 >= 0 && (dot4 + 1 === end || !isClickIdChars(value, dot4 + 1, end))) return { ok: false, detail: 'malformed appendix' };
  return { ok: true, value, creationMs: Number(value.slice(dot2 + 1, dot3)) };
}

/**
 * A usable fbclid: the URL parameter's characters, kept exactly (case-sensitive, never re-encoded;
 * https://developers.facebook.com/docs/marketing-api/conversions-api/parameters/fbp-and-fbc).
 */
export function isValidFbclid(fbclid: string): boolean {
  return fbclid.length > 0 && fbclid.length <= 1000 && isClickIdChars(fbclid, 0, fbclid.length);
}

/** `fb.1.<ms>.<fbclid>`: subdomain index 1 (a registrable domain like shop.example), creation time in ms. */
export function deriveFbc(fbclid: string, creationMs: number): string {
  return `fb.1.${String(creationMs)}.${fbclid}`;
}

/** s[from, to) is one or more ASCII digits. */
function isDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return to > from;
}

/** s[from, to) holds only the URL parameter characters of a click id (empty is allowed: callers check). */
function isClickIdChars(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}
