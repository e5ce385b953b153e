import { describe, expect, it } from 'vitest';
import { Sleeper } from './sleeper.js';

describe('Sleeper', () => {
  it('wake() ends every pending sleep early', async () => {
    const s = new Sleeper();
    let woke = 0;
    const sleeps = [s.sleep(60_000).then(() => woke++), s.sleep(60_000).then(() => woke++)];
    s.wake();
    await Promise.all(sleeps);
    expect(woke).toBe(2);
  });
  it('after close() a sleep returns at once', async () => {
    const s = new Sleeper();
    s.close();
    let done = false;
    await s.sleep(60_000).then(() => (done = true));
    expect(done).toBe(true);
  });
});
