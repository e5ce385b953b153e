import { describe, expect, it } from 'vitest';
import { phase, type Sample } from './footprint.js';

const samples: Sample[] = [
  { at: 0, kib: 100 },
  { at: 100, kib: 300 },
  { at: 200, kib: 900 },
  { at: 300, kib: 800 },
  { at: 400, kib: 200 },
];
/** A snapshot that ran from 150 to 350. */
const watch = { during: (at: number): boolean => at >= 150 && at <= 350 };

describe('phase', () => {
  it("leaves the samples taken during the gateway's snapshot out of the phase, and shows their peak beside it", () => {
    expect(phase(samples, watch)).toEqual({ peakKiB: 300, medianKiB: 200, samples: 3, withSnapshotPeakKiB: 900 });
  });

  it("gives the snapshot's own figures from the samples taken during it", () => {
    expect(phase(samples, watch, true)).toEqual({ peakKiB: 900, medianKiB: 800, samples: 2 });
  });

  it('says nothing about a snapshot that did not overlap', () => {
    expect(phase(samples, { during: () => false })).toEqual({ peakKiB: 900, medianKiB: 300, samples: 5 });
  });
});
