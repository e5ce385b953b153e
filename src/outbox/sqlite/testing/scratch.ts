import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashedEvent } from '../../contract.js';
import type { IngestItem } from '../../types.js';

/** Scratch database files for one test file: `file()` makes one in a fresh directory, `removeAll()` (afterAll) deletes them. */
export function scratchFiles(prefix: string): { file(): string; removeAll(): void } {
  const dirs: string[] = [];
  return {
    file() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return join(dir, 'outbox.db');
    },
    removeAll() {
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** An event with a pending delivery to each destination (each destination named after its platform). */
export function pendingItem(eventId: string, destinations = ['meta'], source: IngestItem['source'] = 'shopify'): IngestItem {
  return {
    event: hashedEvent({ event_id: eventId }),
    source,
    test: false,
    deliveries: destinations.map((d) => ({ destination_id: d, platform: d as 'meta', status: 'pending' as const })),
  };
}
