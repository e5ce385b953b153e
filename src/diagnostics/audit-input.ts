import { InputError } from '../errors.js';

/** One record of an audit file and where it came from, for error messages. */
export interface AuditRecord {
  raw: unknown;
  /** Path prefix of the record inside the file: `[index]` in a JSON array, `[]` otherwise. */
  prefix: (string | number)[];
  /** JSONL: the 1-based line. */
  line?: number;
}

/**
 * The records of an audit file: one JSON value (an object, or an array of objects) or JSONL (one object per
 * line). Errors name the file and, for JSONL, the line.
 */
export function readAuditRecords(text: string, file: string): AuditRecord[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new InputError('', `${file}: empty file`, 'empty_input');
  let whole: unknown;
  let wholeError: Error | undefined;
  try {
    whole = JSON.parse(trimmed);
  } catch (err) {
    wholeError = err as Error;
  }
  if (wholeError === undefined) {
    if (!Array.isArray(whole)) return [{ raw: whole, prefix: [] }];
    if (whole.length === 0) throw new InputError('', `${file}: empty array`, 'empty_input');
    return whole.map((raw, i) => ({ raw, prefix: [i] }));
  }
  const lines = text.split(/\r?\n/);
  const records: AuditRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      records.push({ raw: JSON.parse(line), prefix: [], line: i + 1 });
    } catch (err) {
      // A first line that does not parse on its own: the file is neither JSON nor JSONL; report the JSON error.
      const reason = records.length === 0 ? wholeError.message : (err as Error).message;
      throw new InputError('', records.length === 0 ? `${file}: not valid JSON or JSONL (${reason})` : `${file} line ${i + 1}: not valid JSON (${reason})`, 'invalid_json');
    }
  }
  return records;
}
