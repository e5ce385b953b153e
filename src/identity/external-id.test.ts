import { describe, expect, it } from 'vitest';
import { normalizeExternalId } from './external-id.js';

describe('normalizeExternalId', () => {
  it.each([
    [' Cust_42 ', 'cust_42'],
    ['ABC-123', 'abc-123'],
    ['42', '42'],
  ])('%s → %s', (raw, expected) => expect(normalizeExternalId(raw)).toBe(expected));
  it('drops blank ids', () => expect(normalizeExternalId('  ')).toBeUndefined());
});
