import { describe, expect, it } from 'vitest';
import { normalizeCity, normalizeCountry, normalizeState, normalizeZip } from './geo.js';

describe('normalizeCountry', () => {
  it.each([
    ['US', 'US'], ['us', 'US'], [' gb ', 'GB'], ['UK', 'GB'],
    ['USA', 'US'], ['deu', 'DE'], ['CAN', 'CA'], ['GBR', 'GB'], ['FRA', 'FR'], ['CHE', 'CH'], ['KOR', 'KR'], ['XKX', 'XK'],
    ['United States', 'US'], ['united states of america', 'US'], ['United Kingdom', 'GB'], ['Germany', 'DE'],
    ['Deutschland', 'DE'], ['Côte d’Ivoire', 'CI'], ['Ivory Coast', 'CI'], ['South Korea', 'KR'], ['Czechia', 'CZ'],
    ['Czech Republic', 'CZ'], ['Türkiye', 'TR'], ['Turkey', 'TR'], ['Bosnia & Herzegovina', 'BA'],
    ['Bosnia and Herzegovina', 'BA'], ['Saint Kitts and Nevis', 'KN'], ['Hong Kong', 'HK'], ['Burma', 'MM'],
    ['Antarctica', 'AQ'],
  ])('%s → %s', (raw, expected) => expect(normalizeCountry(raw)).toBe(expected));
  it.each(['XX', 'ZZZ', 'Atlantis', '', 'U'])('%s is unknown', (raw) => expect(normalizeCountry(raw)).toBeUndefined());
});

describe('normalizeState', () => {
  it.each([
    ['CA', 'US', 'ca', 'CA'],
    ['ca', 'US', 'ca', 'CA'],
    ['California', 'US', 'ca', 'CA'],
    [' new  york ', 'US', 'ny', 'NY'],
    ['District of Columbia', 'US', 'dc', 'DC'],
    ['Ontario', 'CA', 'on', 'ON'],
    ['Québec', 'CA', 'qc', 'QC'],
    ['Quebec', undefined, 'qc', 'QC'],
    ['Texas', undefined, 'tx', 'TX'],
    // Every country whose ISO 3166-2 subdivision codes are two letters gets the code, not the hashed name.
    ['Bayern', 'DE', 'by', 'BY'],
    ['Bavaria', 'DE', 'by', 'BY'],
    ['Nordrhein-Westfalen', 'DE', 'nw', 'NW'],
    ['Maharashtra', 'IN', 'mh', 'MH'],
    ['mh', 'IN', 'mh', 'MH'],
    ['Tamil Nadu', 'IN', 'tn', 'TN'],
    ['São Paulo', 'BR', 'sp', 'SP'],
    ['Zürich', 'CH', 'zh', 'ZH'],
    ['NSW', 'AU', 'nsw', 'NSW'],
    ['Île-de-France', 'FR', 'iledefrance', 'Île-de-France'],
    ['Somewhere', undefined, 'somewhere', 'Somewhere'],
  ])('%s (country %s) → st %s, plain %s', (raw, country, hashInput, plain) => {
    expect(normalizeState(raw, country)).toEqual({ ok: true, hashInput, plain });
  });
  it.each([
    ['Ontario', 'US'],
    ['ZZ', 'US'],
    ['California', 'CA'],
    ['Atlantis', 'IN'],
  ])('%s is not a state of %s', (raw, country) => expect(normalizeState(raw, country).ok).toBe(false));
});

describe('normalizeZip', () => {
  it.each([
    ['94025', 'US', '94025'],
    ['94025-1234', 'US', '94025'], // ZIP+4 → first 5
    ['940251234', 'US', '94025'],
    ['94025 1234', undefined, '94025'], // unknown country, US shape
    ['K1A 0B1', 'CA', 'k1a0b1'],
    ['SW1A 1AA', 'GB', 'sw1a1aa'],
    ['00-950', 'PL', '00950'],
    ['100-0001', 'JP', '1000001'],
    ['75008', 'FR', '75008'],
    ['k1a 0b1', undefined, 'k1a0b1'],
  ])('%s (country %s) → %s', (raw, country, zip) => expect(normalizeZip(raw, country)).toEqual({ ok: true, zip }));
  it.each([
    ['9402', 'US'],
    ['ABCDE', 'US'],
    ['94025-12', 'US'],
    ['1', 'DE'],
    ['12#45', 'DE'],
  ])('rejects %s (country %s)', (raw, country) => expect(normalizeZip(raw, country).ok).toBe(false));
});

describe('normalizeCity', () => {
  it.each([
    ['Menlo Park', 'menlopark', 'menlo park'],
    ['  New   York ', 'newyork', 'new york'],
    ['São Paulo', 'saopaulo', 'são paulo'],
    ["Coeur d'Alene", 'coeurdalene', "coeur d'alene"],
    ['Zürich', 'zurich', 'zürich'],
  ])('%s → ct %s, plain %s', (raw, hashInput, plain) => expect(normalizeCity(raw)).toEqual({ ok: true, hashInput, plain }));
  it('keeps the plain form of a non-Latin city but has nothing to hash', () => {
    expect(normalizeCity('東京')).toEqual({ ok: true, hashInput: undefined, plain: '東京' });
  });
});
