import { describe, expect, it } from 'vitest';
import { normalizeEmail, redditEmailVariant } from './email.js';

describe('normalizeEmail', () => {
  it.each([
    [' Jane.Doe@Example.com ', 'jane.doe@example.com', 'jane.doe@example.com'],
    ['Jane.Doe+shop@Gmail.com', 'jane.doe+shop@gmail.com', 'janedoe@gmail.com'],
    // The Data Manager API formatting guide's own examples (developers.google.com/data-manager/api/get-started/formatting).
    ['cloudy.sanfrancisco+shopping@gmail.com', 'cloudy.sanfrancisco+shopping@gmail.com', 'cloudysanfrancisco@gmail.com'],
    ['user.name+NYC@Example.com', 'user.name+nyc@example.com', 'user.name+nyc@example.com'],
    ['a.b+c+d@googlemail.com', 'a.b+c+d@googlemail.com', 'ab@googlemail.com'],
    ['+tag@gmail.com', '+tag@gmail.com', '+tag@gmail.com'],
    ['j.a.n.e@googlemail.com', 'j.a.n.e@googlemail.com', 'jane@googlemail.com'],
    ['jane.doe@gmail.co.uk', 'jane.doe@gmail.co.uk', 'jane.doe@gmail.co.uk'],
    ['jane.doe@mail.gmail.com', 'jane.doe@mail.gmail.com', 'jane.doe@mail.gmail.com'],
    ['jane.doe@outlook.com', 'jane.doe@outlook.com', 'jane.doe@outlook.com'],
    ['o\'brien@example.ie', "o'brien@example.ie", "o'brien@example.ie"],
    ['josé@exämple.de', 'josé@exämple.de', 'josé@exämple.de'],
    ['x@xn--bcher-kva.xn--p1ai', 'x@xn--bcher-kva.xn--p1ai', 'x@xn--bcher-kva.xn--p1ai'],
  ])('%s → %s (Google %s)', (raw, email, google) => {
    expect(normalizeEmail(raw)).toEqual({ ok: true, email, google });
  });

  it.each([
    ['jane.doe.example.com', 'no @'],
    ['jane doe@example.com', 'space or control character inside'],
    ['jane@@example.com', 'more than one @'],
    ['@example.com', 'empty local part'],
    ['jane@', 'no domain'],
    ['jane@localhost', 'domain has no dot'],
    ['jane@example..com', 'empty domain label'],
    ['jane@-example.com', 'domain label starts or ends with a hyphen'],
    ['jane@example.c', 'top-level domain shorter than 2 characters'],
    ['jane@example.123', 'top-level domain is not alphabetic'],
    ['jane@exa_mple.com', 'character not allowed in a domain'],
    ['.jane@example.com', 'local part starts with a dot'],
    ['jane.@example.com', 'local part ends with a dot'],
    ['ja..ne@example.com', 'two dots in a row'],
    ['ja(ne@example.com', 'character not allowed in an address'],
    ['   ', 'empty'],
  ])('rejects %s (%s)', (raw, detail) => {
    expect(normalizeEmail(raw)).toEqual({ ok: false, detail });
  });

  it('never echoes the address in its detail', () => {
    const result = normalizeEmail('secret.person@@example.com');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail).not.toContain('secret');
  });
});

describe('redditEmailVariant', () => {
  it('drops the +alias and every non-alphanumeric character of the local part (Reddit Manual Advanced Matching)', () => {
    expect(redditEmailVariant('al.ice$+apple@example.com')).toBe('alice@example.com');
    expect(redditEmailVariant('jane_doe-1@example.com')).toBe('janedoe1@example.com');
    expect(redditEmailVariant('jürgen.k@example.de')).toBe('jürgenk@example.de');
  });

  it('keeps an address whose local part would be left empty', () => {
    expect(redditEmailVariant('+tag@example.com')).toBe('+tag@example.com');
  });
});

describe('redditEmailVariant, ASCII read without the regexp', () => {
  it('agrees with the Unicode letter-or-digit regexp on any local part', async () => {
    const fc = (await import('fast-check')).default;
    const reference = (email: string): string => {
      const at = email.indexOf('@');
      let local = email.slice(0, at);
      const plus = local.indexOf('+');
      if (plus >= 0) local = local.slice(0, plus);
      const kept = local.replace(/[^\p{L}\p{N}]/gu, '');
      return kept.length > 0 ? kept + email.slice(at) : email;
    };
    const char = fc.oneof(fc.constantFrom('a', 'Z', '0', '.', '+', '_', '-', '$', 'é', 'ß', '٣', '\u0301', '!'), fc.string({ maxLength: 1, unit: 'binary' }));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 20 }), (chars) => {
        const email = `${chars.join('').replaceAll('@', '')}@example.com`;
        expect(redditEmailVariant(email)).toBe(reference(email));
      }),
      { numRuns: 5000 },
    );
  });
});
