import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { fromMilli, parseAmount, ratio, toMilli } from './numbers.js';

describe('parseAmount', () => {
  it.each([
    ['19.99', 19.99],
    ['1,234.56', 1234.56],
    ['1,000', 1000],
    ['', 0],
    ['-', 0],
    ['--', 0],
    ['$12.50', 12.5],
    ['USD 12.50', 12.5],
    [7, 7],
  ])('%s → %s', (input, expected) => {
    expect(parseAmount(input, 'x')).toBe(expected);
  });
  it.each(['12,5', 'abc', '1.2.3', '12,34'])('refuses %s, naming the cell', (input) => {
    expect(() => parseAmount(input, 'f.csv:3.value')).toThrow(InputError);
    expect(() => parseAmount(input, 'f.csv:3.value')).toThrow(/f\.csv:3\.value/);
  });
});

describe('money in thousandths', () => {
  it('adds a thousand 19.99 to exactly 19990', () => {
    let sum = 0;
    for (let i = 0; i < 1000; i++) sum += toMilli(19.99);
    expect(fromMilli(sum)).toBe(19990);
  });
});

describe('ratio', () => {
  it('rounds to 4 decimals and is null over nothing', () => {
    expect(ratio(4, 7)).toBe(0.5714);
    expect(ratio(1, 0)).toBeNull();
  });
});
