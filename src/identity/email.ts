// Email normalization: trim + lowercase for every platform. Google additionally, for gmail.com / googlemail.com
// only, removes every `.` of the local part AND the `+` with everything after it — the Data Manager API
// formatting guide (https://developers.google.com/data-manager/api/get-started/formatting):
// `cloudy.sanfrancisco+shopping@gmail.com` → `cloudysanfrancisco@gmail.com`, while other domains keep dots and
// `+` (`user.name+NYC@Example.com` → `user.name+nyc@example.com`).

export type EmailResult = { ok: true; email: string; google: string } | { ok: false; detail: string };

const MAX_LOCAL = 64;
const MAX_EMAIL = 254;

export function normalizeEmail(raw: string): EmailResult {
  const email = raw.trim().toLowerCase();
  if (email.length === 0) return { ok: false, detail: 'empty' };
  if (email.length > MAX_EMAIL) return { ok: false, detail: 'longer than 254 characters' };
  const at = email.indexOf('@');
  if (at < 0) return { ok: false, detail: 'no @' };
  if (email.indexOf('@', at + 1) >= 0) return { ok: false, detail: 'more than one @' };
  if (at === 0) return { ok: false, detail: 'empty local part' };
  if (at > MAX_LOCAL) return { ok: false, detail: 'local part longer than 64 characters' };
  const localProblem = checkLocalPart(email, at);
  if (localProblem) return { ok: false, detail: localProblem };
  const domainProblem = checkDomain(email, at + 1);
  if (domainProblem) return { ok: false, detail: domainProblem };
  return { ok: true, email, google: googleVariant(email, at) };
}

/**
 * Reddit's canonical email (Reddit "Manual Advanced Matching", https://business.reddithelp.com/s/article/manual-advanced-matching):
 * lowercase, drop the `+alias` (from the first `+` to the `@`), then every non-alphanumeric character of the local
 * part, for every domain: `Al.ice$+Apple@Example.Com` → `alice@example.com`. Takes the trimmed, lowercased address.
 */
export function redditEmailVariant(email: string): string {
  const at = email.indexOf('@');
  let local = email.slice(0, at);
  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  const kept = lettersAndDigits(local);
  // Nothing left (`+tag@…`, `..._@…`): the address as it is beats a hash of "@domain" shared by every such address.
  return kept.length > 0 ? kept + email.slice(at) : email;
}

const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

/** `s` without what is not a letter or digit; in ASCII those are exactly A-Z, a-z and 0-9, read without the regexp. */
function lettersAndDigits(s: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return s.replace(NOT_LETTER_OR_DIGIT, '');
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90)) continue;
    out += s.slice(start, i);
    start = i + 1;
  }
  return start === 0 ? s : out + s.slice(start);
}

function googleVariant(email: string, at: number): string {
  const domain = email.slice(at + 1);
  if (domain !== 'gmail.com' && domain !== 'googlemail.com') return email;
  const plus = email.indexOf('+');
  const localEnd = plus >= 0 && plus < at ? plus : at;
  if (localEnd === at && email.indexOf('.') > at) return email; // fast path: no `+`, the only dot is in the domain
  const local = email.slice(0, localEnd).replaceAll('.', '');
  // A local part that is nothing but `+tag` has no mailbox left to match: keep the address as given.
  return local === '' ? email : local + email.slice(at);
}

// Dot-atom local part (RFC 5322) plus UTF-8 (RFC 6531); quoted local parts are not accepted by shops anyway.
function checkLocalPart(email: string, at: number): string | undefined {
  let previousDot = true; // a leading dot is as wrong as a double dot
  for (let i = 0; i < at; i++) {
    const c = email.charCodeAt(i);
    if (c === 46) {
      if (previousDot) return i === 0 ? 'local part starts with a dot' : 'two dots in a row';
      previousDot = true;
      continue;
    }
    previousDot = false;
    if (c <= 32 || c === 127) return 'space or control character inside';
    if (c < 128 && !LOCAL_ASCII[c]) return 'character not allowed in an address';
  }
  if (previousDot) return 'local part ends with a dot';
  return undefined;
}

function checkDomain(email: string, from: number): string | undefined {
  if (from >= email.length) return 'no domain';
  let labelStart = from;
  let labels = 0;
  for (let i = from; i <= email.length; i++) {
    const c = i === email.length ? 46 : email.charCodeAt(i);
    if (c === 46) {
      const length = i - labelStart;
      if (length === 0) return 'empty domain label';
      if (length > 63) return 'domain label longer than 63 characters';
      if (email.charCodeAt(labelStart) === 45 || email.charCodeAt(i - 1) === 45) return 'domain label starts or ends with a hyphen';
      labels++;
      labelStart = i + 1;
      continue;
    }
    if (c <= 32 || c === 127) return 'space or control character inside';
    const ok = (c >= 97 && c <= 122) || c >= 128 || (c >= 48 && c <= 57) || c === 45;
    if (!ok) return 'character not allowed in a domain';
  }
  if (labels < 2) return 'domain has no dot';
  const tld = email.slice(email.lastIndexOf('.') + 1);
  if (tld.length < 2) return 'top-level domain shorter than 2 characters';
  if (!isAlphabetic(tld) && !tld.startsWith('xn--')) return 'top-level domain is not alphabetic';
  return undefined;
}

function isAlphabetic(label: string): boolean {
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || c >= 128)) return false;
  }
  return true;
}

const LOCAL_ASCII: boolean[] = (() => {
  const allowed: boolean[] = new Array<boolean>(128).fill(false);
  for (let c = 48; c <= 57; c++) allowed[c] = true;
  for (let c = 97; c <= 122; c++) allowed[c] = true;
  for (let c = 65; c <= 90; c++) allowed[c] = true;
  for (const ch of "!#$%&'*+/=?^_`{|}~-") allowed[ch.charCodeAt(0)] = true;
  return allowed;
})();
