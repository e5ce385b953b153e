import { afterAll, describe, expect, it } from 'vitest';
import { openConnection } from './connection.js';
import { scratchFiles } from './testing/scratch.js';

const files = scratchFiles('mk-connection-');
afterAll(() => files.removeAll());

describe('openConnection', () => {
  it('gives a new file 8 KiB pages, WAL and the asked durability', () => {
    const full = openConnection(files.file(), 'full');
    const normal = openConnection(files.file(), 'normal');
    try {
      expect(full.pragma('page_size', { simple: true })).toBe(8192);
      expect(full.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(full.pragma('synchronous', { simple: true })).toBe(2);
      expect(normal.pragma('synchronous', { simple: true })).toBe(1);
      expect(full.pragma('temp_store', { simple: true })).toBe(2);
    } finally {
      full.close();
      normal.close();
    }
  });

  it("sizes the page cache by the connection's role: 16 MiB for a writer, 4 MiB for a reader", () => {
    const path = files.file();
    const writer = openConnection(path, 'full');
    const reader = openConnection(path, 'full', 'reader');
    try {
      expect(writer.pragma('cache_size', { simple: true })).toBe(-16384);
      expect(reader.pragma('cache_size', { simple: true })).toBe(-4096);
    } finally {
      writer.close();
      reader.close();
    }
  });
});
