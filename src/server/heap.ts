import { setFlagsFromString } from 'node:v8';

// V8 lets the old generation grow to up to 4× what survived the last full GC before it collects again (the factor
// follows the heap limit, ~4 GiB on a machine with memory to spare). The gateway's live heap is small (~30 MiB idle,
// ~50 MiB draining) but it turns over fast — every claimed event is parsed, rebuilt into a platform request and
// serialized, and lives across that request's round trip — so at the default factor a drain held ~200 MiB of heap,
// most of it garbage. At 2× (measured with `npm run bench -- --only footprint`, docs/BENCHMARKS.md) the drain's peak
// RSS fell from ~460 to ~310 MiB and ingest's from ~250 to ~220 MiB, with the CPU per event within the run-to-run
// noise. The flag is read at each full GC, so setting it at start-up is enough; worker threads share it.
// https://github.com/v8/v8/blob/11.3.244/src/flags/flag-definitions.h (heap_growing_percent)

/** Heap growing factor 1 + HEAP_GROWING_PERCENT / 100 for `matchkey serve`. */
export const HEAP_GROWING_PERCENT = 100;

/** The V8 flags `serve` sets: none when the operator chose a growing factor themselves (node flags or NODE_OPTIONS). */
export function serveHeapFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const chosen = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((a) => /^--heap[-_]growing[-_]percent/.test(a));
  return chosen ? [] : [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`];
}

export function tuneHeapForServe(execArgv: readonly string[] = process.execArgv, nodeOptions: string | undefined = process.env.NODE_OPTIONS): void {
  for (const flag of serveHeapFlags(execArgv, nodeOptions)) setFlagsFromString(flag);
}
