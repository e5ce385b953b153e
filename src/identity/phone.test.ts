import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import examples from 'libphonenumber-js/mobile/examples';
import { getCountryCallingCode, type CountryCode } from 'libphonenumber-js/min';
import metadata from 'libphonenumber-js/min/metadata';
import { libphonenumberCallCount, libphonenumberE164, normalizePhone, referenceE164 } from './phone.js';

describe('normalizePhone', () => {
  // The shapes Shopify really sends (https://shopify.dev/docs/api/webhooks) and the other common ones.
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

  // The shapes of the benchmark corpus (bench/fixtures.ts): numbers from the whole NANP, the UK, Germany, France,
  // India, Brazil and Australia as shoppers type them, with and without the country of their address.
  const CORPUS: [string, string | undefined, string | undefined][] = [
    ['0044 7911 123456', 'GB', '+447911123456'], // international prefix 00 from the UK
    ['0412 345 678', 'AU', '+61412345678'], // trunk 0 of a prefix-for-parsing with a carrier group (183[12])
    ['(0412) 345678', 'AU', '+61412345678'],
    ['+61 2 9876 5432', undefined, '+61298765432'],
    ['1-776-826-5929', 'US', undefined], // 776 is no area code in service: every reading refused
    ['1-650-253-0000', 'US', '+16502530000'],
    ['+33 (0)6 12 34 56 78', undefined, '+33612345678'], // trunk 0 after the country code
    ['0049 30 12345678', 'DE', '+493012345678'],
    ['+49 (0)171 1234567', 'DE', '+491711234567'],
    ['0171/1234567', 'DE', '+491711234567'],
    ['98765 43210', 'IN', '+919876543210'],
    ['+91-9876543210', undefined, '+919876543210'],
    ['098765 43210', 'IN', '+919876543210'],
    ['919876543210', 'IN', '+919876543210'], // country code without + in its own country
    ['(11) 91234-5678', 'BR', '+5511912345678'],
    ['011 91234 5678', 'BR', '+5511912345678'], // national prefix 0 before the area code (a transform rule)
    ['+55 (11) 91234-5678', undefined, '+5511912345678'],
    ['0000000000', 'US', undefined],
    ['(416) 555-0123', 'CA', '+14165550123'], // +1 shared by 25 countries: Canada claims 416
    ['416-979-1234', 'CA', '+14169791234'],
    ['(876) 927-1234', 'JM', '+18769271234'],
    ['787-722-1234', 'PR', '+17877221234'],
    ['(650) 253-0000 ext. 12', 'US', '+16502530000'],
    ['650 253 0000 x12', 'US', '+16502530000'],
    ['+1 (650) 253-0000', 'GB', '+16502530000'], // a US number given by a shopper with a UK address
    ['07911 123456', 'US', undefined], // a UK number in national form from a US address: not a US number
    ['61412345678', 'AU', '+61412345678'],
  ];

  it.each(CORPUS)('%s (region %s) → %s, as libphonenumber-js reads it', (raw, region, e164) => {
    const result = normalizePhone(raw, region);
    expect(result.ok ? result.e164 : undefined).toBe(e164);
    agreesWithReference(raw, region);
  });

  it('decides the corpus shapes without calling libphonenumber-js (no per-call metadata rebuild, no exceptions)', () => {
    const before = libphonenumberCallCount();
    for (const [raw, region] of CORPUS) normalizePhone(raw, region);
    expect(libphonenumberCallCount()).toBe(before);
    normalizePhone('tel: 650 253 0000', 'US'); // letters: libphonenumber-js decides
    expect(libphonenumberCallCount()).toBeGreaterThan(before);
  });

  // Every country of the metadata, numbers typed in the shapes people use: with `+` and the country code, with the
  // international prefix `00` or the region's own (011 from the US), with a trunk 0 after the country code, with
  // the national prefix, with the country code but no `+`, separated by spaces, dashes, dots, slashes or
  // parentheses, with an extension; the compiled reading must give exactly what libphonenumber-js gives.
  it('agrees with libphonenumber-js for every country in the shapes people type (property)', () => {
    const raw = metadata as unknown as { countries: Record<string, [string, string]> };
    const regions = Object.keys(raw.countries);
    const separated = (digits: string, cuts: number[], sep: string): string => {
      let out = '';
      let from = 0;
      for (const cut of [...new Set(cuts.map((c) => Math.min(c, digits.length)))].sort((a, b) => a - b)) {
        out += digits.slice(from, cut) + sep;
        from = cut;
      }
      return out + digits.slice(from);
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...regions),
        fc.constantFrom(...regions),
        fc.oneof(fc.stringMatching(/^[0-9]{4,13}$/), fc.stringMatching(/^0[0-9]{3,12}$/)),
        fc.constantFrom('plus', 'idd00', 'idd-region', 'idd-trunk', 'plus-trunk', 'national', 'trunk', 'cc-no-plus', 'paren-area', 'extension', 'extension-x'),
        fc.constantFrom(' ', '-', '.', '/', ''),
        fc.array(fc.nat(12), { maxLength: 3 }),
        fc.boolean(),
        (country, region, national, shape, sep, cuts, withRegion) => {
          const [cc, idd] = raw.countries[country]!;
          const body = separated(national, cuts, sep);
          const iddDigits = /^[0-9]+$/.test(idd) ? idd : '00';
          const text = {
            plus: `+${cc} ${body}`,
            idd00: `00 ${cc} ${body}`,
            'idd-region': `${iddDigits} ${cc} ${body}`,
            'idd-trunk': `${iddDigits} ${body}`, // the region's international prefix, then a 0 or any digits
            'plus-trunk': `+${cc} (0)${body}`,
            national: body,
            trunk: `0${body}`,
            'cc-no-plus': `${cc}${sep}${body}`,
            'paren-area': `(${national.slice(0, 3)}) ${national.slice(3)}`,
            extension: `${body} ext. ${national.slice(0, 2)}`,
            'extension-x': `+${cc} ${body}${sep === '' ? 'x' : ' x'}${national.slice(-3)}`,
          }[shape];
          agreesWithReference(text, withRegion ? region : country);
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
