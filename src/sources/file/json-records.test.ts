import { describe, expect, it } from 'vitest';
import { readJsonRecords } from './json-records.js';

describe('readJsonRecords', () => {
  it('reads one object, an array, or JSON Lines, remembering where each record was', () => {
    expect(readJsonRecords('{"a":1}', 'f')).toEqual([{ raw: { a: 1 }, prefix: [] }]);
    expect(readJsonRecords('\uFEFF[{"a":1},{"a":2}]', 'f').map((r) => r.prefix)).toEqual([[0], [1]]);
    expect(readJsonRecords('{"a":1}\n\n{"a":2}\n', 'f')).toEqual([
      { raw: { a: 1 }, prefix: [], line: 1 },
      { raw: { a: 2 }, prefix: [], line: 3 },
    ]);
  });

  it('names the file and the line of what it cannot read', () => {
    expect(() => readJsonRecords('  ', 'orders.json')).toThrow(/^orders\.json: nothing to read \(empty input\)$/);
    expect(() => readJsonRecords('[]', 'orders.json')).toThrow(/^orders\.json: nothing to read \(empty array\)$/);
    expect(() => readJsonRecords('{"a":1}\n{"a":', 'e.jsonl')).toThrow(/^e\.jsonl line 2: not valid JSON/);
    expect(() => readJsonRecords('nope', 'e.json')).toThrow(/^e\.json: not valid JSON or JSONL/);
    expect(() => readJsonRecords('{"a":\n 1,,}', 'e.json')).toThrow(/^e\.json: not valid JSON or JSONL/);
  });
});
