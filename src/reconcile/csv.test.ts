import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { findColumn, readCsv } from './csv.js';

describe('readCsv', () => {
  it('tolerates a BOM, keeps quoted commas and newlines, and tells the line each row starts on', () => {
    const t = readCsv('\uFEFFName,Notes\n#1,"a, b\nc"\n\n#2,d\n', 'f.csv');
    expect(t.header).toEqual(['Name', 'Notes']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['#1', 'a, b\nc'] },
      { line: 5, cells: ['#2', 'd'] },
    ]);
  });
  it('refuses an empty file and an unclosed quote, naming the file', () => {
    expect(() => readCsv('', 'empty.csv')).toThrow(InputError);
    expect(() => readCsv('a,b\n"x,1\n', 'bad.csv')).toThrow(/bad\.csv/);
  });
});

describe('findColumn', () => {
  it('ignores case and repeated spaces, first name wins', () => {
    expect(findColumn(['Paid  At', 'Total'], ['paid at'])).toBe(0);
    expect(findColumn(['Website purchases', 'Purchases'], ['Purchases', 'Website purchases'])).toBe(1);
    expect(findColumn(['x'], ['y'])).toBe(-1);
  });
});
