import { describe, expect, it } from 'vitest';
import { addressInfo, clickId, emailAndPhoneIdentifiers } from './identifiers.js';
import { hashedPurchase, sha256 } from './testdata/hashed-purchase.js';

describe('emailAndPhoneIdentifiers', () => {
  it('uses the Google email variant and the E.164-with-plus phone, never the Meta ones', () => {
    const { user } = hashedPurchase();
    expect(emailAndPhoneIdentifiers(user)).toEqual([
      { hashedEmail: sha256('janedoe@gmail.com'), userIdentifierSource: 'FIRST_PARTY' },
      { hashedPhoneNumber: sha256('+16505551212'), userIdentifierSource: 'FIRST_PARTY' },
    ]);
  });

  it('alternates emails and phones and stops at 5', () => {
    const user = { em_google: ['e1', 'e2', 'e3', 'e4'], ph_e164: ['p1', 'p2'] };
    const ids = emailAndPhoneIdentifiers(user).map((i) => ('hashedEmail' in i ? i.hashedEmail : 'hashedPhoneNumber' in i ? i.hashedPhoneNumber : '?'));
    expect(ids).toEqual(['e1', 'p1', 'e2', 'p2', 'e3']);
    expect(emailAndPhoneIdentifiers({})).toEqual([]);
  });
});

describe('addressInfo', () => {
  it('hashes names and street but sends the geography in clear', () => {
    expect(addressInfo(hashedPurchase().user)).toEqual({
      hashedFirstName: sha256('jane'),
      hashedLastName: sha256('doe'),
      hashedStreetAddress: sha256('1 hacker way'),
      city: 'menlo park',
      state: 'CA',
      countryCode: 'US',
      postalCode: '94025',
    });
  });

  it('is left out when first name, last name, country or zip is missing', () => {
    const { user } = hashedPurchase();
    expect(addressInfo({ ...user, fn: undefined })).toBeUndefined();
    expect(addressInfo({ ...user, geo: { ...user.geo, zip: undefined } })).toBeUndefined();
    expect(addressInfo({ ...user, geo: undefined })).toBeUndefined();
  });
});

describe('clickId', () => {
  it('prefers gclid, then gbraid, then wbraid, and sends only one', () => {
    expect(clickId({ gclid: 'g', gbraid: 'b', wbraid: 'w' })).toEqual({ gclid: 'g' });
    expect(clickId({ gbraid: 'b', wbraid: 'w' })).toEqual({ gbraid: 'b' });
    expect(clickId({ wbraid: 'w' })).toEqual({ wbraid: 'w' });
    expect(clickId({})).toBeUndefined();
  });
});
