import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer.js';

// The executor stands in for the database statement: it records which calls travelled together.
function recorder(fail?: (calls: number[]) => boolean) {
  const statements: number[][] = [];
  let release: (() => void)[] = [];
  const execute = async (calls: number[]) => {
    statements.push(calls);
    await new Promise<void>((r) => release.push(r));
    if (fail?.(calls)) throw new Error(`refused ${calls.join(',')}`);
    return calls.map((c) => c * 10);
  };
  const flush = async () => {
    while (release.length > 0) {
      const r = release;
      release = [];
      r.forEach((f) => f());
      await new Promise((r) => setImmediate(r));
    }
  };
  return { statements, execute, flush };
}

describe('Coalescer', () => {
  it('sends a lone call at once, and combines the calls that wait while statements are in flight', async () => {
    const rec = recorder();
    const c = new Coalescer(rec.execute, 2);
    const results = [1, 2, 3, 4, 5].map((n) => c.run(n));
    expect(rec.statements).toEqual([[1], [2]]);
    await rec.flush();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50]);
    expect(rec.statements).toEqual([[1], [2], [3, 4, 5]]);
    expect(c.stats).toEqual({ statements: 3, calls: 5 });
  });

  it('caps the calls per statement', async () => {
    const rec = recorder();
    const c = new Coalescer(rec.execute, 1, 2);
    const results = [1, 2, 3, 4, 5].map((n) => c.run(n));
    await rec.flush();
    await Promise.all(results);
    expect(rec.statements).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('retries a failed combined statement call by call, so only the bad call is rejected', async () => {
    const rec = recorder((calls) => calls.includes(3));
    const c = new Coalescer(rec.execute, 1);
    const results = [1, 2, 3, 4].map((n) => c.run(n).catch((e: Error) => e.message));
    await rec.flush();
    expect(await Promise.all(results)).toEqual([10, 20, 'refused 3', 40]);
    expect(rec.statements).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });
});
