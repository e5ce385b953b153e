import { describe, expect, it } from 'vitest';
import { readAuditRecords } from './audit-input.js';

describe('readAuditRecords', () => {
  it('reads one object, an array (indexed) or JSONL (by line)', () => {
    expect(readAuditRecords('{"a":1}', 'f')).toEqual([{ raw: { a: 1 }, prefix: [] }]);
    expect(readAuditRecords('[{"a":1},{"a":2}]', 'f').map((r) => r.prefix)).toEqual([[0], [1]]);
    expect(readAuditRecords('{"a":1}\n\n{"a":2}\n', 'f')).toEqual([
      { raw: { a: 1 }, prefix: [], line: 1 },
      { raw: { a: 2 }, prefix: [], line: 3 },
    ]);
  });

  it('names the file, and the line of a broken JSONL record', () => {
    expect(() => readAuditRecords('  ', 'orders.json')).toThrow(/orders\.json: empty file/);
    expect(() => readAuditRecords('[]', 'orders.json')).toThrow(/orders\.json: empty array/);
    expect(() => readAuditRecords('{"a":1}\n{"a":', 'e.jsonl')).toThrow(/e\.jsonl line 2: not valid JSON/);
    expect(() => readAuditRecords('nope', 'e.json')).toThrow(/e\.json: not valid JSON or JSONL/);
  });
});
