import { describe, expect, it } from 'vitest';
import { normalizeGender } from './gender.js';

describe('normalizeGender', () => {
  it.each([
    ['f', 'f'], ['F', 'f'], ['Female', 'f'], ['woman', 'f'], ['Mrs.', 'f'], ['Ms', 'f'],
    ['m', 'm'], ['MALE', 'm'], ['man', 'm'], ['Mr.', 'm'],
    ['non-binary', 'n'], ['Nonbinary', 'n'], ['non binary', 'n'], ['NB', 'n'], ['x', 'n'],
  ])('%s → %s', (raw, expected) => expect(normalizeGender(raw)).toBe(expected));
  it.each(['', 'unknown', 'fem', '1', 'prefer not to say'])('%s is unknown', (raw) => expect(normalizeGender(raw)).toBeUndefined());
});
