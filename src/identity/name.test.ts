import { describe, expect, it } from 'vitest';
import { normalizeName } from './name.js';

describe('normalizeName', () => {
  it.each([
    ['  Jane ', 'jane', 'jane'],
    ['Mary-Ann', 'mary-ann', 'maryann'],
    ["O'Brien", "o'brien", 'obrien'],
    ['Mary Ann', 'mary ann', 'maryann'],
    ['JOSÉ', 'josé', 'josé'],
    ['Jose\u0301', 'josé', 'josé'], // decomposed é is NFC-normalized first
    ['Zoë  Smith-Jones, Jr.', 'zoë  smith-jones, jr.', 'zoësmithjonesjr'],
    ['Łukasz', 'łukasz', 'łukasz'],
    ['山田', '山田', '山田'],
  ])('%s → plain %s, Meta %s', (raw, plain, meta) => {
    expect(normalizeName(raw)).toEqual({ ok: true, plain, meta });
  });
  it('reports a name of punctuation only', () => {
    expect(normalizeName('--')).toEqual({ ok: false, detail: 'only punctuation' });
  });
  it('treats blank as empty', () => {
    expect(normalizeName('   ')).toEqual({ ok: 'empty' });
  });
});
