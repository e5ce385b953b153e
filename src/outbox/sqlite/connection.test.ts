import { afterAll, describe, expect, it } from 'vitest';
import { openConnection } from './connection.js';
import { scratchFiles } from './testing/scratch.js';

const files = scratchFiles('mk-connection-');
afterAll(() => files.removeAll());

describe('openConnection', () => {
  it('gives a new file 8 KiB pages, WAL, the asked durability and a 16 MiB page cache', () => {
    const full = openConnection(files.file(), 'full');
    const normal = openConnection(files.file(), 'normal');
    try {
      expect(full.pragma('page_size', { simple: true })).toBe(8192);
      expect(full.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(full.pragma('synchronous', { simple: true })).toBe(2);
      expect(normal.pragma('synchronous', { simple: true })).toBe(1);
      expect(full.pragma('temp_store', { simple: true })).toBe(2);
      expect(full.pragma('cache_size', { simple: true })).toBe(-16384);
    } finally {
      full.close();
      normal.close();
    }
  });
});
