import { nfc } from './text.js';

// Two name variants (the meta, tiktok, pinterest and google READMEs under src/platforms/): TikTok, Pinterest and
// Google hash trim + lowercase; Meta's reference implementation also removes whitespace and ASCII punctuation and
// keeps UTF-8 letters (`Mary-Ann` → `maryann`, `José` → `josé`). Operators hit this: a pixel and a tag disagreeing on
// exactly this gives the same shopper two hashes.

export type NameResult = { ok: true; plain: string; meta: string } | { ok: false; detail: string } | { ok: 'empty' };

export function normalizeName(raw: string): NameResult {
  const plain = nfc(raw).trim().toLowerCase();
  if (plain.length === 0) return { ok: 'empty' };
  const meta = metaName(plain);
  if (meta.length === 0) return { ok: false, detail: 'only punctuation' };
  return { ok: true, plain, meta };
}

function metaName(plain: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < plain.length; i++) {
    if (isRemoved(plain.charCodeAt(i))) {
      out += plain.slice(start, i);
      start = i + 1;
    }
  }
  return start === 0 ? plain : out + plain.slice(start);
}

function isRemoved(c: number): boolean {
  if (c <= 32 || c === 127) return true; // whitespace and controls
  if (c < 127) return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
  return c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0xfeff;
}
