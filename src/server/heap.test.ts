import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, serveHeapFlags } from './heap.js';

describe('serveHeapFlags', () => {
  it('sets the heap growing factor by default', () => {
    expect(serveHeapFlags([], undefined)).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    expect(serveHeapFlags(['--enable-source-maps'], '--max-old-space-size=512')).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it("leaves the operator's own choice alone, on the command line or in NODE_OPTIONS, in either spelling", () => {
    expect(serveHeapFlags(['--heap-growing-percent=50'], undefined)).toEqual([]);
    expect(serveHeapFlags([], '--max-old-space-size=512 --heap_growing_percent=300')).toEqual([]);
  });
});
