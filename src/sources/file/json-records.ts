import { InputError } from '../../errors.js';

// Files of records (events for `preview`, events or Shopify orders for `audit`): one JSON value, a JSON array,
// or JSON Lines. Errors name the file and, for JSON Lines, the line — the operator's way back to the bad record.

/** One record as read: the raw value, its path prefix in errors (`[index]` in an array), its JSONL line. */
export interface JsonRecord {
  raw: unknown;
  prefix: (string | number)[];
  /** JSON Lines: the 1-based line. */
  line?: number;
}

export function readJsonRecords(text: string, source: string): JsonRecord[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new InputError('', `${source}: nothing to read (empty input)`, 'empty_input');
  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    whole = JSON.parse(trimmed);
  } catch (err) {
    wholeError = err as Error;
  }
  if (wholeError === undefined) {
    if (!Array.isArray(whole)) return [{ raw: whole, prefix: [] }];
    if (whole.length === 0) throw new InputError('', `${source}: nothing to read (empty array)`, 'empty_input');
    return whole.map((raw, i) => ({ raw, prefix: [i] }));
  }
  const lines = trimmed.split(/\r?\n/);
  const records: JsonRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      records.push({ raw: JSON.parse(line), prefix: [], line: i + 1 });
    } catch (err) {
      // A first line that does not parse on its own: the text is neither JSON nor JSONL; report the JSON error.
      if (records.length === 0) throw new InputError('', `${source}: not valid JSON or JSONL (${wholeError.message})`, 'invalid_json');
      throw new InputError('', `${source} line ${i + 1}: not valid JSON (${(err as Error).message})`, 'invalid_json');
    }
  }
  return records;
}
