import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRequestContract } from './request-contract.js';

function contractOf(schema: object) {
  const dir = mkdtempSync(join(tmpdir(), 'mk-contract-'));
  const file = join(dir, 'x.schema.json');
  writeFileSync(file, JSON.stringify(schema));
  return loadRequestContract(pathToFileURL(file));
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: {
    data: {
      type: 'array',
      minItems: 1,
      maxItems: 2,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['event_name'],
        properties: { event_name: { type: 'string' }, action_source: { enum: ['website', 'app'] } },
      },
    },
  },
};

describe('loadRequestContract', () => {
  it('accepts a conforming body', () => {
    expect(contractOf(schema).check({ data: [{ event_name: 'Purchase', action_source: 'website' }] })).toEqual([]);
  });

  it('names an unknown field with its path', () => {
    expect(contractOf(schema).check({ data: [{ event_name: 'Purchase', evnt_id: 'x' }] })).toEqual([
      { path: 'data.0.evnt_id', kind: 'unknown_field', field: 'evnt_id', message: 'unknown field "evnt_id"' },
    ]);
  });

  it('reports every violation at once: missing field, wrong type, wrong enum, count out of range', () => {
    const v = contractOf(schema).check({ data: [{}, { event_name: 1 }, { event_name: 'x', action_source: 'other' }] });
    expect(v.map((x) => [x.kind, x.path]).sort()).toEqual(
      [
        ['missing_field', 'data.0.event_name'],
        ['out_of_range', 'data'],
        ['wrong_enum', 'data.2.action_source'],
        ['wrong_type', 'data.1.event_name'],
      ].sort(),
    );
  });
});
