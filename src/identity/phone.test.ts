import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import examples from 'libphonenumber-js/mobile/examples';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/min';
import { libphonenumberE164, normalizePhone, referenceE164 } from './phone.js';

describe('normalizePhone', () => {
  // The shapes Shopify really sends (PLATFORMS.md §7) and the other common ones.
  it.each([
    ['+557734881234', undefined, '+557734881234'], // order.phone, already E.164
    ['+1(502)-459-2181', undefined, '+15024592181'], // billing_address.phone
    ['502-459-2181', 'US', '+15024592181'], // default_address.phone: no country code, address country US
    ['(650) 555-1212', 'US', '+16505551212'],
    ['16505551212', 'US', '+16505551212'], // digits with the country code but no +
    ['0044 20 7946 0958', 'GB', '+442079460958'], // 00 = international prefix from GB
    ['001 650 555 1212', 'US', '+16505551212'], // 00 used from the US, where the prefix is 011
    ['011 44 20 7946 0958', 'US', '+442079460958'],
    ['0016505551212', undefined, '+16505551212'], // leading 00 needs no region
    ['020 7946 0958', 'GB', '+442079460958'], // national trunk 0 removed
    ['+44 (0)20 7946 0958', undefined, '+442079460958'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
    ['0151 23456789', 'DE', '+4915123456789'],
    ['447911123456', 'US', '+447911123456'], // a UK number with its country code but no + from a US shopper
    ['650 555 1212 ext. 12', 'US', '+16505551212'], // the extension is not part of E.164
  ])('%s (region %s) → %s', (raw, region, e164) => {
    expect(normalizePhone(raw, region)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['16505551212', undefined, 'PHONE_NO_COUNTRY'],
    ['(650) 555-1212', undefined, 'PHONE_NO_COUNTRY'],
    ['555-625-1199', 'US', 'PHONE_INVALID'], // Shopify's sample number: 555 is no assigned area code
    ['555-0100', 'US', 'PHONE_INVALID'], // 7 digits
    ['+1 234', undefined, 'PHONE_INVALID'],
    ['12', 'US', 'PHONE_INVALID'],
    ['+1234567890123456789', undefined, 'PHONE_INVALID'],
    ['not a phone', 'US', 'PHONE_INVALID'],
  ])('%s (region %s) → %s', (raw, region, code) => {
    const result = normalizePhone(raw, region);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.detail).not.toMatch(/\d{4}/); // never echoes the number
    }
  });

  // The fast path must never disagree with libphonenumber-js: for every example number of every country,
  // written in several shapes, whatever we return as valid must be what libphonenumber-js returns.
  it('agrees with libphonenumber-js on every country example in every shape', () => {
    const shapes = (country: string, national: string): [string, string | undefined][] => {
      const cc = getCountryCallingCode(country as CountryCode);
      return [
        [`+${cc}${national}`, undefined],
        [`+${cc} ${national.slice(0, 3)} ${national.slice(3)}`, country],
        [national, country],
        [`0${national}`, country],
        [`${cc}${national}`, country],
        [`(${national.slice(0, 3)}) ${national.slice(3)}`, country],
      ];
    };
    let checked = 0;
    for (const [country, national] of Object.entries(examples as Record<string, string>)) {
      for (const [raw, region] of shapes(country, national)) {
        const ours = normalizePhone(raw, region);
        const lib = libphonenumberE164(raw, region);
        if (lib !== undefined) expect(ours, `${raw} ${String(region)}`).toEqual({ ok: true, e164: lib });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('fast path and libphonenumber-js agree on random digit strings', () => {
    const regions = ['US', 'CA', 'GB', 'DE', 'FR', 'BR', 'IN', 'AU', 'MX', 'AR', 'IT', 'JP', 'NL', 'ES'];
    fc.assert(
      fc.property(fc.constantFrom(...regions), fc.boolean(), fc.stringMatching(/^[0-9]{6,14}$/), (region, plus, digits) => {
        const raw = plus ? `+${digits}` : digits;
        const ours = normalizePhone(raw, region);
        const lib = libphonenumberE164(raw, plus ? undefined : region);
        if (ours.ok && lib !== undefined) expect(ours.e164).toBe(lib);
        if (lib !== undefined) expect(ours.ok).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  // Invalid numbers are refused by the fast path too (libphonenumber-js took ~19 µs to say no): it must refuse
  // exactly what libphonenumber-js refuses, through every reading normalizePhone tries, and accept the rest.
  const agreesWithReference = (raw: string, region: string | undefined): void => {
    const ours = normalizePhone(raw, region);
    const reference = referenceE164(raw, region);
    expect(ours.ok ? ours.e164 : undefined, `${raw} ${String(region)}`).toBe(reference);
  };

  it('agrees with libphonenumber-js on valid and invalid numbers alike (random digits, many regions)', () => {
    const regions = ['US', 'CA', 'GB', 'DE', 'FR', 'BR', 'IN', 'AU', 'MX', 'AR', 'IT', 'JP', 'NL', 'ES', 'RU', 'KZ', 'GG', 'IM', 'PR', 'BS', 'SG', 'CH'];
    fc.assert(
      fc.property(
        fc.constantFrom(...regions),
        fc.constantFrom('plus', 'national', 'separated'),
        fc.oneof(fc.stringMatching(/^[0-9]{4,17}$/), fc.stringMatching(/^1?[2-9][0-9]{2}[0-9]{7}$/), fc.stringMatching(/^(44|49|7|1|65|33)[0-9]{6,11}$/)),
        (region, shape, digits) => {
          if (shape === 'plus') agreesWithReference(`+${digits}`, undefined);
          else if (shape === 'national') agreesWithReference(digits, region);
          else agreesWithReference(`(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`, region);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['650.179.2956', 'US'], // NANP exchange starting with 1: invalid
    ['+1 650 191 5778', undefined],
    ['+1(502)-196-0632', undefined],
    ['(650) 555-0100', 'US'],
    ['6505551212', 'SG'], // not Singaporean; nor +65 05551212
    ['07911 123456', 'GB'],
    ['+44 7911 123456', undefined],
    ['030 1234567', 'DE'],
    ['49 30 1234567', 'DE'],
    ['+7 701 123 4567', undefined], // +7 is shared by RU and KZ
  ])('matches libphonenumber-js on %s (%s)', (raw, region) => agreesWithReference(raw, region));
});
