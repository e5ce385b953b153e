import { describe, expect, it } from 'vitest';
import { asciiAlnum, collapseSpaces, foldAccents, isAscii, nfc } from './text.js';

describe('text helpers', () => {
  it('detects ASCII', () => {
    expect(isAscii('Menlo Park')).toBe(true);
    expect(isAscii('São Paulo')).toBe(false);
  });
  it('NFC-composes decomposed letters', () => expect(nfc('Jose\u0301')).toBe('José'));
  it.each([
    ['são paulo', 'sao paulo'],
    ['zürich', 'zurich'],
    ['straße', 'strasse'],
    ['øresund', 'oresund'],
    ['łódź', 'lodz'],
    ['東京', '東京'],
  ])('folds %s → %s', (raw, expected) => expect(foldAccents(raw)).toBe(expected));
  it.each([
    ['Menlo Park', 'menlopark'],
    ["St. John's", 'stjohns'],
    ['São Paulo', 'saopaulo'],
    ['東京', ''],
  ])('asciiAlnum %s → %s', (raw, expected) => expect(asciiAlnum(raw)).toBe(expected));
  it.each([
    ['  a  b\tc ', 'a b c'],
    ['a b', 'a b'],
    ['a\u00a0b', 'a b'],
  ])('collapses %j', (raw, expected) => expect(collapseSpaces(raw)).toBe(expected));
});
