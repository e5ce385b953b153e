import { describe, expect, it } from 'vitest';
import { progressOn } from './progress.js';

function stream(isTTY: boolean | undefined) {
  const written: string[] = [];
  return { isTTY, written, write: (t: string) => written.push(t) };
}

describe('progressOn', () => {
  it('draws stages and counts on one terminal line and clears it at the end', () => {
    const s = stream(true);
    const p = progressOn(s, 'audit', 2);
    p.stage('reading events.jsonl');
    p.count(1, 3);
    p.count(2, 3);
    p.count(3, 3);
    p.done();
    expect(s.written).toEqual([
      '\r\x1b[Kmatchkey audit: reading events.jsonl…',
      '\r\x1b[Kmatchkey audit: reading events.jsonl: 2 / 3',
      '\r\x1b[Kmatchkey audit: reading events.jsonl: 3 / 3',
      '\r\x1b[K',
    ]);
  });

  it('writes nothing at all when the stream is not a terminal (a pipe, a file, CI)', () => {
    for (const isTTY of [false, undefined]) {
      const s = stream(isTTY);
      const p = progressOn(s, 'replay');
      p.stage('replaying');
      p.count(1000, 1000);
      p.done();
      expect(s.written).toEqual([]);
    }
  });
});
