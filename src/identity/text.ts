// Small string helpers shared by the normalizers. ASCII input (the vast majority) skips Unicode work.

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** NFC, so that `é` typed as e + combining accent hashes like the precomposed `é`. */
export function nfc(s: string): string {
  return isAscii(s) ? s : s.normalize('NFC');
}

// Letters NFD does not decompose into a base letter + mark.
const FOLDED_LETTERS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h', ŧ: 't', ŋ: 'n',
};

/** Lowercase Latin with accents removed (`São Paulo` → `sao paulo`); other scripts are left as they are. */
export function foldAccents(lowercase: string): string {
  if (isAscii(lowercase)) return lowercase;
  let out = '';
  for (const ch of lowercase.normalize('NFD')) {
    const c = ch.charCodeAt(0);
    if (c >= 0x300 && c <= 0x36f) continue; // combining diacritical marks
    out += FOLDED_LETTERS[ch] ?? ch;
  }
  return out;
}

/** Keeps only a-z and 0-9 (after lowercasing and folding accents). */
export function asciiAlnum(s: string): string {
  const folded = foldAccents(s.toLowerCase());
  let out = '';
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += folded[i];
  }
  return out;
}

/** Trims and collapses runs of whitespace to one space. */
export function collapseSpaces(s: string): string {
  const trimmed = s.trim();
  for (let i = 1; i < trimmed.length; i++) {
    if (isSpace(trimmed.charCodeAt(i)) && (isSpace(trimmed.charCodeAt(i - 1)) || trimmed.charCodeAt(i) !== 32)) {
      return trimmed.split(/\s+/).join(' ');
    }
  }
  return trimmed;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);
}
