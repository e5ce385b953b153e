import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCanonicalEvent } from '../event/parse.js';
import type { CanonicalEventInput } from '../event/schema.js';
import type { FindingCode } from './findings.js';
import { hashOnce, readUser } from './hash-once.js';
import { userSchema } from '../event/schema.js';
import { isSha256Hex, sha256Hex } from './hash.js';
import type { HashedEvent, HashedUser, IdentityOptions } from './types.js';

const EVENT_TIME = 1764326400;

function run(input: Partial<CanonicalEventInput> & { user?: CanonicalEventInput['user'] }, opts?: IdentityOptions): HashedEvent {
  return hashOnce(
    parseCanonicalEvent({
      event_id: 'order_1001',
      event_name: 'purchase',
      event_time: EVENT_TIME,
      commerce: { value: 59.9, currency: 'USD', order_id: '1001' },
      ...input,
    }),
    opts,
  );
}
const codes = (event: HashedEvent): FindingCode[] => event.findings.map((f) => f.code);

const PURCHASE_USER = {
  email: 'Jane.Doe@Example.com ',
  phone: '(650) 555-1212',
  first_name: 'Jane',
  last_name: 'Doe',
  gender: 'f',
  date_of_birth: '1990-02-01',
  street: '1  Hacker Way',
  city: 'Menlo Park',
  state: 'California',
  zip: '94025-1234',
  country: 'USA',
  external_id: 'Cust_42',
  client_ip_address: '203.0.113.7',
  client_user_agent: 'Mozilla/5.0',
  fbp: 'fb.1.1764000000000.1234567890',
  ttclid: 'E.C.P.xyz',
  gclid: 'Cj0K',
};

describe('hashOnce: the canonical example purchase', () => {
  const event = run({ action_source: 'website', event_source_url: 'https://shop.example/thanks', user: PURCHASE_USER });
  const user = event.user;

  it('hashes every variant with the known values', () => {
    expect(user.em).toEqual(['86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d']);
    expect(user.em_google).toEqual(user.em); // not gmail: no dot removal
    expect(user.ph).toEqual(['e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176']); // 16505551212
    expect(user.ph_e164).toEqual(['1e231c66011e7a2d867a9cfae267a6aff103cf4913640b6e71a99850fc0ffbc8']); // +16505551212
    expect(user.fn).toBe('81f8f6dde88365f3928796ec7aa53f72820b06db8664f5fe76a7eb13e24546a2');
    expect(user.fn_meta).toBe(user.fn);
    expect(user.ln).toBe('799ef92a11af918e3fb741df42934f3b568ed2d93ac1df74f1b8d41a27932a6f');
    expect(user.ge).toBe('252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111');
    expect(user.ge_pinterest).toBe(user.ge);
    expect(user.db).toBe('da46d11754d3613222df07510993fc17f1959aa7bae47295e3f8a6550bc06426');
    expect(user.ct).toBe('0007a3d64c01e23d5075203c5977c14e4f7e01a3fc570686fcc50b5e1dd42685');
    expect(user.st).toBe('6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126');
    expect(user.zp).toBe('b9a9cf3cd3723a2e91b7c23ecf68456e872b6e5d86e5cab7f3d45a7302da32c7');
    expect(user.country).toBe('79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621');
    expect(user.external_id).toEqual([sha256Hex('cust_42')]);
    expect(user.street).toBe(sha256Hex('1 hacker way'));
  });

  it("fills Google's unhashed geography", () => {
    expect(user.geo).toEqual({ city: 'menlo park', state: 'CA', zip: '94025', country: 'US' });
  });

  it('passes plain fields through', () => {
    expect(user).toMatchObject({ client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0', fbp: PURCHASE_USER.fbp, ttclid: 'E.C.P.xyz', gclid: 'Cj0K' });
    expect(event).toMatchObject({ event_id: 'order_1001', event_id_source: 'given', event_name: 'purchase', event_time: EVENT_TIME, action_source: 'website', event_source_url: 'https://shop.example/thanks' });
    expect(event.commerce).toEqual({ value: 59.9, currency: 'USD', order_id: '1001' });
    expect(event.consent).toEqual({ marketing: true, limited_data_use: false });
  });

  it("keeps Klaviyo's raw contact", () => {
    expect(event.contact).toEqual({
      email: 'jane.doe@example.com',
      phone_number: '+16505551212',
      external_id: 'Cust_42',
      first_name: 'Jane',
      last_name: 'Doe',
      location: { city: 'Menlo Park', region: 'California', zip: '94025-1234', country: 'USA' },
    });
    // Diagnostics count the identifying fields only.
    expect(event.contact_fields).toEqual(['email', 'phone_number', 'external_id', 'first_name', 'last_name']);
    expect(run({ user: PURCHASE_USER }, { includeContact: false }).contact).toBeUndefined();
  });

  it('has no findings', () => expect(event.findings).toEqual([]));

  it('canary: no raw email, phone, name or street outside contact', () => {
    const { contact: _contact, ...stored } = event;
    const json = JSON.stringify(stored).toLowerCase();
    for (const raw of ['jane.doe@example.com', 'jane', 'doe', 'hacker', '6505551212', '555-1212', '1990']) expect(json).not.toContain(raw);
  });
});

describe('hashOnce: variants that differ per platform', () => {
  it('removes gmail dots for Google only', () => {
    const user = run({ user: { email: 'Jane.Doe@gmail.com' } }).user;
    expect(user.em).toEqual([sha256Hex('jane.doe@gmail.com')]);
    expect(user.em_google).toEqual(['d6117306485ed0e50afab3ac871e98f81699151f30281527d63ff5f233656c69']);
  });
  it('Meta names lose spaces and punctuation', () => {
    const user = run({ user: { first_name: 'Mary-Ann', last_name: "O'Brien Smith" } }).user;
    expect(user.fn).toBe(sha256Hex('mary-ann'));
    expect(user.fn_meta).toBe(sha256Hex('maryann'));
    expect(user.ln_meta).toBe(sha256Hex('obriensmith'));
  });
  it('non-binary goes to Pinterest only', () => {
    const event = run({ user: { email: 'a@example.com', gender: 'non-binary' } });
    expect(event.user.ge).toBeUndefined();
    expect(event.user.ge_pinterest).toBe(sha256Hex('n'));
    expect(event.findings).toContainEqual(expect.objectContaining({ code: 'GENDER_INVALID', platforms: ['meta'] }));
  });
  it('dedupes arrays after normalization, in order', () => {
    const user = run({ user: { email: ['B@example.com', 'a@example.com', ' b@EXAMPLE.com'], phone: ['+16505551212', '650-555-1212'], country: 'US' } }).user;
    expect(user.em).toEqual([sha256Hex('b@example.com'), sha256Hex('a@example.com')]);
    expect(user.ph).toEqual([sha256Hex('16505551212')]);
  });
  it('uses the country for the phone region, else defaultCountry', () => {
    expect(run({ user: { phone: '020 7946 0958', country: 'United Kingdom' } }).user.ph_e164).toEqual([sha256Hex('+442079460958')]);
    expect(run({ user: { phone: '020 7946 0958' } }, { defaultCountry: 'GB' }).user.ph_e164).toEqual([sha256Hex('+442079460958')]);
    const noCountry = run({ user: { phone: '020 7946 0958' } });
    expect(noCountry.user.ph).toBeUndefined();
    expect(codes(noCountry)).toContain('PHONE_NO_COUNTRY');
  });
});

describe('hashOnce: pre-hashed values', () => {
  const hex = sha256Hex('jane.doe@example.com');
  it('passes a SHA-256 through lowercased into every variant, never hashed again', () => {
    const user = run({ user: { email: hex.toUpperCase(), phone: `${hex}.AQQCAQIA`, first_name: hex, city: hex } }).user;
    expect(user.em).toEqual([hex]);
    expect(user.em_google).toEqual([hex]);
    expect(user.ph).toEqual([hex]);
    expect(user.ph_e164).toEqual([hex]);
    expect(user.fn).toBe(hex);
    expect(user.fn_meta).toBe(hex);
    expect(user.ct).toBe(hex);
    expect(user.geo).toBeUndefined();
  });
  it('drops broken hashes with PREHASHED_MALFORMED', () => {
    const event = run({ user: { email: 'd41d8cd98f00b204e9800998ecf8427e', phone: hex.slice(0, 60) } });
    expect(event.user.em).toBeUndefined();
    expect(event.user.ph).toBeUndefined();
    expect(codes(event).filter((c) => c === 'PREHASHED_MALFORMED')).toHaveLength(2);
  });
  it('sends a pre-hashed phone as given, with a finding that TikTok and Google hash E.164 with + and may not match it', () => {
    const event = run({ user: { phone: hex } });
    expect(event.user.ph).toEqual([hex]);
    expect(event.user.ph_e164).toEqual([hex]);
    expect(event.findings).toContainEqual({ code: 'PHONE_PREHASHED', field: 'user.phone', detail: 'sent as given: TikTok and Google hash E.164 with +', platforms: ['tiktok', 'google'] });
    expect(codes(run({ user: { phone: '+16505551212' } }))).not.toContain('PHONE_PREHASHED');
  });
  it('hashes a 32-hex external_id as an ordinary id', () => {
    expect(run({ user: { external_id: 'D41D8CD98F00B204E9800998ECF8427E' } }).user.external_id).toEqual([sha256Hex('d41d8cd98f00b204e9800998ecf8427e')]);
  });
});

describe('hashOnce: invalid values are dropped with their code', () => {
  it.each<[string, NonNullable<CanonicalEventInput['user']>, FindingCode, keyof HashedUser]>([
    ['email', { email: 'jane.doe.example.com' }, 'EMAIL_INVALID', 'em'],
    ['phone', { phone: '555-0100', country: 'US' }, 'PHONE_INVALID', 'ph'],
    ['gender', { gender: 'unknown' }, 'GENDER_INVALID', 'ge'],
    ['dob', { date_of_birth: '1850-01-01' }, 'DOB_INVALID', 'db'],
    ['state', { state: 'Ontario', country: 'US' }, 'STATE_INVALID', 'st'],
    ['zip', { zip: '9402', country: 'US' }, 'ZIP_INVALID', 'zp'],
    ['country', { country: 'Atlantis' }, 'COUNTRY_INVALID', 'country'],
    ['city', { city: '東京' }, 'CITY_INVALID', 'ct'],
    ['name', { first_name: '--' }, 'NAME_INVALID', 'fn'],
    ['fbc', { fbc: 'fb.1.1764326000000.' }, 'FBC_MALFORMED', 'fbc'],
    ['fbp', { fbp: 'fb.1.17640.123' }, 'FBP_MALFORMED', 'fbp'],
    ['ip', { client_ip_address: 'not-an-ip' }, 'IP_INVALID', 'client_ip_address'],
    ['server ip', { client_ip_address: '10.0.0.5' }, 'SERVER_IP', 'client_ip_address'],
  ])('%s', (_label, user, code, key) => {
    const event = run({ user });
    expect(event.user[key]).toBeUndefined();
    expect(codes(event)).toContain(code);
  });

  it('findings never contain the value', () => {
    const event = run({ user: { email: 'secret.person@@example.com', phone: '555-0100', country: 'US', first_name: '??', date_of_birth: '1850-07-04' } });
    const json = JSON.stringify(event.findings);
    for (const raw of ['secret', '555', '0100', '1850', '??']) expect(json).not.toContain(raw);
  });
});

describe('hashOnce: IP and click ids', () => {
  it('strips a port with IP_HAS_PORT', () => {
    const event = run({ user: { client_ip_address: '[2001:db8::1]:443' } });
    expect(event.user.client_ip_address).toBe('2001:db8::1');
    expect(codes(event)).toContain('IP_HAS_PORT');
  });
  it('reports SERVER_IP for configured addresses and not MISSING_CLIENT_IP as well', () => {
    const event = run({ action_source: 'website', user: { client_ip_address: '203.0.113.9', client_user_agent: 'UA' } }, { serverIps: ['203.0.113.9'] });
    expect(codes(event)).toContain('SERVER_IP');
    expect(codes(event)).not.toContain('MISSING_CLIENT_IP');
  });
  it('derives fbc from fbclid with event_time, keeping its case', () => {
    const event = run({ user: { fbclid: 'IwAR2F4-dbP0l7Mn' } });
    expect(event.user.fbc).toBe(`fb.1.${String(EVENT_TIME * 1000)}.IwAR2F4-dbP0l7Mn`);
    expect(event.findings).toContainEqual(expect.objectContaining({ code: 'FBC_DERIVED', platforms: ['meta'] }));
  });
  it('derives fbc from click_time when given', () => {
    expect(run({ user: { fbclid: 'AbC', click_time: EVENT_TIME - 3600 } }).user.fbc).toBe(`fb.1.${String((EVENT_TIME - 3600) * 1000)}.AbC`);
  });
  it('prefers a valid given fbc and does not derive', () => {
    const event = run({ user: { fbc: 'fb.1.1764326000000.AbCdEf', fbclid: 'Other' } });
    expect(event.user.fbc).toBe('fb.1.1764326000000.AbCdEf');
    expect(codes(event)).not.toContain('FBC_DERIVED');
  });
  it('derives when the given fbc is malformed', () => {
    const event = run({ user: { fbc: 'fb.1.1764326000000.', fbclid: 'AbC' } });
    expect(event.user.fbc).toBe(`fb.1.${String(EVENT_TIME * 1000)}.AbC`);
    expect(codes(event)).toEqual(expect.arrayContaining(['FBC_MALFORMED', 'FBC_DERIVED']));
  });
  it('does not derive when deriveFbc is false', () => {
    expect(run({ user: { fbclid: 'AbC' } }, { deriveFbc: false }).user.fbc).toBeUndefined();
  });
  it('warns when the fbc click time is after the event, beyond 5 minutes, and keeps it', () => {
    const late = `fb.1.${String((EVENT_TIME + 3600) * 1000)}.AbC`;
    const event = run({ user: { fbc: late } });
    expect(event.user.fbc).toBe(late);
    expect(codes(event)).toContain('FBC_AFTER_EVENT');
    expect(codes(run({ user: { fbc: `fb.1.${String((EVENT_TIME + 60) * 1000)}.AbC` } }))).not.toContain('FBC_AFTER_EVENT');
  });
});

describe('hashOnce: event-level findings', () => {
  it('flags a generated event id, a custom name and a value without currency', () => {
    const event = run({ event_id: undefined, event_name: 'wishlist_shared', commerce: { value: 12.5 }, user: { email: 'a@example.com' } });
    expect(codes(event)).toEqual(expect.arrayContaining(['MISSING_EVENT_ID', 'NONSTANDARD_EVENT_NAME', 'MISSING_CURRENCY']));
    expect(codes(event)).not.toContain('INVALID_VALUE');
  });
  it('flags a purchase without value or currency', () => {
    const event = run({ commerce: { order_id: '1' }, user: { email: 'a@example.com' } });
    expect(codes(event)).toEqual(expect.arrayContaining(['MISSING_CURRENCY', 'INVALID_VALUE']));
  });
  it('flags a website event without IP, user agent or deterministic key', () => {
    expect(codes(run({ action_source: 'website', user: {} }))).toEqual(
      expect.arrayContaining(['MISSING_CLIENT_IP', 'MISSING_USER_AGENT', 'NO_DETERMINISTIC_KEY']),
    );
    expect(codes(run({ action_source: 'system_generated', user: { external_id: 'x' } }))).toEqual([]);
  });
  it('flags, for Meta, a website event its policy will change or skip: no user agent or no event_source_url', () => {
    const complete = { action_source: 'website' as const, event_source_url: 'https://shop.example/', user: { email: 'a@example.com', client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0' } };
    expect(codes(run(complete))).not.toContain('WEBSITE_EVENT_INCOMPLETE');
    const noUrl = run({ ...complete, event_source_url: undefined });
    expect(noUrl.findings).toContainEqual({ code: 'WEBSITE_EVENT_INCOMPLETE', field: 'event_source_url', detail: 'missing event_source_url', platforms: ['meta'] });
    const neither = run({ ...complete, event_source_url: undefined, user: { email: 'a@example.com' } });
    expect(neither.findings).toContainEqual({ code: 'WEBSITE_EVENT_INCOMPLETE', field: 'user.client_user_agent', detail: 'missing client_user_agent and event_source_url', platforms: ['meta'] });
  });
});

describe('hashOnce: properties', () => {
  const hashedKeys = ['em', 'em_google', 'ph', 'ph_e164', 'fn', 'ln', 'fn_meta', 'ln_meta', 'ge', 'ge_pinterest', 'db', 'ct', 'st', 'zp', 'country', 'external_id', 'street'] as const;
  const userArb = fc.record(
    {
      email: fc.oneof(fc.emailAddress(), fc.string()),
      phone: fc.oneof(fc.stringMatching(/^\+?[0-9 ()-]{6,16}$/), fc.constantFrom('+16505551212', '(650) 555-1212', '020 7946 0958')),
      first_name: fc.string({ minLength: 1, maxLength: 20 }),
      last_name: fc.string({ minLength: 1, maxLength: 20 }),
      gender: fc.constantFrom('f', 'male', 'nb', 'x', 'Mrs.', '?'),
      date_of_birth: fc.constantFrom('1990-02-01', '02/01/1990', '19900201', 'bad'),
      street: fc.string({ minLength: 1, maxLength: 30 }),
      city: fc.string({ minLength: 1, maxLength: 20 }),
      state: fc.constantFrom('CA', 'California', 'Bayern', 'Ontario', '??'),
      zip: fc.constantFrom('94025', '94025-1234', 'K1A 0B1', 'x'),
      country: fc.constantFrom('US', 'USA', 'Germany', 'gb', 'CA', 'Atlantis'),
      external_id: fc.string({ minLength: 1, maxLength: 20 }),
    },
    { requiredKeys: [] },
  );

  const hashesOf = (user: HashedUser): string[] =>
    hashedKeys.flatMap((key) => {
      const value = user[key];
      return value === undefined ? [] : Array.isArray(value) ? value : [value];
    });

  it('every produced hash is 64 lowercase hex, never empty', () => {
    fc.assert(
      fc.property(userArb, (user) => {
        for (const hex of hashesOf(run({ user }).user)) expect(isSha256Hex(hex)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: feeding the hashes back in as pre-hashed input yields the same hashes (never hashed twice)', () => {
    fc.assert(
      fc.property(userArb, (user) => {
        const first = run({ user }).user;
        const second = run({
          user: {
            email: first.em,
            phone: first.ph,
            first_name: first.fn,
            last_name: first.ln,
            gender: first.ge,
            date_of_birth: first.db,
            street: first.street,
            city: first.ct,
            state: first.st,
            zip: first.zp,
            country: first.country,
            external_id: first.external_id,
          },
        }).user;
        expect(second.em).toEqual(first.em);
        expect(second.ph).toEqual(first.ph);
        for (const key of ['fn', 'ln', 'ge', 'db', 'street', 'ct', 'st', 'zp', 'country'] as const) expect(second[key]).toBe(first[key]);
        expect(second.external_id).toEqual(first.external_id);
        expect(second.fn_meta).toBe(first.fn);
        for (const hex of hashesOf(second)) expect(hashesOf(first)).toContain(hex);
      }),
      { numRuns: 300 },
    );
  });

  it('canary: no raw email, phone, name or street in the stored event', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.stringMatching(/^[a-z]{6,12}$/), fc.stringMatching(/^[a-z]{6,12}$/), fc.stringMatching(/^[a-z]{6,12} street$/), (email, first, last, street) => {
        const { contact: _contact, ...stored } = run({ user: { email, phone: '+16505551212', first_name: first, last_name: last, street } });
        const json = JSON.stringify(stored);
        for (const raw of [email, first, last, street, '6505551212']) expect(json).not.toContain(raw);
      }),
      { numRuns: 200 },
    );
  });
});

describe('readUser', () => {
  it('reads every key of the user schema, and only the keys the event has', () => {
    const keys = Object.keys(userSchema.shape);
    const user = Object.fromEntries(keys.map((k, i) => [k, k === 'click_time' ? i : `value-${k}`]));
    const fields = readUser(user as never) as unknown as Record<string, unknown>;
    for (const k of keys) expect(fields[k], k).toBe(user[k]);
    expect(Object.keys(fields).sort()).toEqual([...keys].sort());
    const sparse = readUser({ email: 'a@b.co' }) as unknown as Record<string, unknown>;
    expect(Object.entries(sparse).filter(([, v]) => v !== undefined)).toEqual([['email', 'a@b.co']]);
  });
});
