import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';

/** A CSV read into a header and rows of cells, each row keeping the line it started on (quoted newlines span lines). */
export interface CsvTable {
  header: string[];
  rows: { line: number; cells: string[] }[];
}

/**
 * Parses CSV text: a UTF-8 BOM (Excel, Shopify) tolerated, quoted fields with commas and newlines, ragged rows
 * (exports add or drop trailing empty cells) tolerated, blank lines skipped.
 */
export function readCsv(text: string, source: string): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new InputError(e.lines ? `${source}:${e.lines}` : source, `not a readable CSV (${e.message})`, 'invalid_csv');
  }
  const [first, ...rest] = records;
  if (!first) throw new InputError(source, 'the file is empty (expected a header row)', 'invalid_csv');
  // csv-parse reports the line a record ends on; a quoted newline inside a cell moves the start up.
  const rows = rest.map((r) => ({
    line: r.info.lines - r.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0),
    cells: r.record,
  }));
  return { header: first.record.map((h) => h.trim()), rows };
}

/** Header comparison ignores case, surrounding spaces and repeated spaces: `Paid  at` = `paid at`. */
export function normalizeHeader(h: string): string {
  return h.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Index of the first header matching any of the names (normalized), or -1. */
export function findColumn(header: string[], names: readonly string[]): number {
  const normalized = header.map(normalizeHeader);
  for (const name of names) {
    const i = normalized.indexOf(normalizeHeader(name));
    if (i >= 0) return i;
  }
  return -1;
}
