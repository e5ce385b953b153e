import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { ContactOpener, parseSecretKey, sealContact, unsealContact } from './seal.js';

const contact = { email: 'jane.doe@example.com', phone_number: '+16505551212', first_name: 'Jane' };

describe('parseSecretKey', () => {
  it('reads 64 hex characters and base64 of 32 bytes', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('hex'))?.equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64'))?.equals(key)).toBe(true);
    expect(parseSecretKey(key.toString('base64url'))?.equals(key)).toBe(true);
  });
  it('returns undefined when unset and refuses short keys without echoing them', () => {
    expect(parseSecretKey(undefined)).toBeUndefined();
    expect(parseSecretKey('  ')).toBeUndefined();
    const bad = 'c2hvcnQta2V5LXZhbHVl';
    try {
      parseSecretKey(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).message).not.toContain(bad);
    }
  });
});

describe('sealContact', () => {
  const key = randomBytes(32);
  it('round-trips and hides the plaintext', () => {
    const blob = sealContact(contact, key, 'order_1');
    expect(blob.toString('latin1')).not.toContain('jane');
    expect(unsealContact(blob, key, 'order_1')).toEqual(contact);
  });
  it('refuses another key or another event id', () => {
    const blob = sealContact(contact, key, 'order_1');
    expect(() => unsealContact(blob, randomBytes(32), 'order_1')).toThrow();
    expect(() => unsealContact(blob, key, 'order_2')).toThrow();
  });
  it('uses a fresh IV each time', () => {
    expect(sealContact(contact, key, 'e').equals(sealContact(contact, key, 'e'))).toBe(false);
  });
});

describe('ContactOpener', () => {
  it('opens what its key sealed, and drops what it cannot open with one log line for the store', () => {
    const key = randomBytes(32);
    const logged: object[] = [];
    const opener = new ContactOpener(key, { error: (obj) => void logged.push(obj) });
    const contact = { email: 'a@example.com', phone_number: '+16502530000' };
    expect(opener.open(sealContact(contact, key, 'order_1'), 'order_1', 1)).toEqual(contact);
    const foreign = sealContact(contact, randomBytes(32), 'order_2');
    expect(opener.open(foreign, 'order_2', 2)).toBeUndefined();
    expect(opener.open(foreign, 'order_2', 3)).toBeUndefined();
    expect(logged).toEqual([{ delivery_id: 2 }]);
    expect(new ContactOpener(undefined).open(sealContact(contact, key, 'order_1'), 'order_1', 4)).toBeUndefined();
  });
});
