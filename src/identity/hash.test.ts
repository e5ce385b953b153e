import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyPrehashed, isSha256Hex, sha256Hex, sha256HexMemo } from './hash.js';

describe('sha256Hex', () => {
  it('matches known SHA-256 values', () => {
    expect(sha256Hex('jane.doe@example.com')).toBe('86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d');
    expect(sha256Hex('16505551212')).toBe('e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176');
    expect(sha256HexMemo('us')).toBe('79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621');
    expect(sha256HexMemo('us')).toBe(sha256Hex('us'));
  });
  it('always yields 64 lowercase hex', () => {
    fc.assert(fc.property(fc.string(), (s) => isSha256Hex(sha256Hex(s))));
  });
});

describe('isSha256Hex', () => {
  it.each([
    ['a'.repeat(64), true],
    ['A'.repeat(64), false],
    ['a'.repeat(63), false],
    ['g'.repeat(64), false],
  ])('%s → %s', (value, expected) => expect(isSha256Hex(value)).toBe(expected));
});

describe('classifyPrehashed', () => {
  const hex = sha256Hex('jane.doe@example.com');
  it('passes a SHA-256 through lowercased', () => {
    expect(classifyPrehashed(hex.toUpperCase())).toEqual({ kind: 'hash', hex });
  });
  it("keeps the hex of Meta's param-builder form <hash>.<appendix>", () => {
    expect(classifyPrehashed(`${hex}.AQQCAQIA`)).toEqual({ kind: 'hash', hex });
  });
  it.each([
    ['MD5 (32 hex)', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['truncated SHA-256 (63 hex)', hex.slice(0, 63)],
    ['SHA-512 (128 hex)', hex + hex],
  ])('flags %s as malformed', (_label, value) => {
    expect(classifyPrehashed(value).kind).toBe('malformed');
  });
  it('does not flag malformed when asked not to (opaque ids)', () => {
    expect(classifyPrehashed('d41d8cd98f00b204e9800998ecf8427e', { flagMalformed: false }).kind).toBe('plain');
  });
  it.each(['jane.doe@example.com', '16505551212', `${hex}.bad appendix`, `${hex}x`, 'a'.repeat(129)])('treats %s as plain', (value) => {
    expect(classifyPrehashed(value).kind).toBe('plain');
  });
});
