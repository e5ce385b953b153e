import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAnnotation, recordGauge } from './record.js';
import { openHistoryStore } from './open.js';
import type { HistoryStore } from './types.js';

const NOW = Date.parse('2026-11-21T15:00:00Z');
let dir: string;
let history: HistoryStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mk-record-'));
  history = await openHistoryStore(`sqlite:${join(dir, 'db')}`);
});
afterEach(async () => {
  await history.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recordAnnotation', () => {
  it('notes today by default, or the given day', async () => {
    expect(await recordAnnotation(history, { text: ' sent external_id ' }, NOW)).toMatchObject({ day: '2026-11-21', text: 'sent external_id' });
    expect(await recordAnnotation(history, { text: 'x', date: '2026-11-01' }, NOW)).toMatchObject({ day: '2026-11-01' });
  });

  it('refuses bad input naming the field', async () => {
    await expect(recordAnnotation(history, { text: '' }, NOW)).rejects.toMatchObject({ path: 'text' });
    await expect(recordAnnotation(history, { text: 'a'.repeat(501) }, NOW)).rejects.toMatchObject({ path: 'text' });
    await expect(recordAnnotation(history, { text: 'a', date: '2026-13-01' }, NOW)).rejects.toMatchObject({ path: 'date' });
    await expect(recordAnnotation(history, [], NOW)).rejects.toMatchObject({ path: '' });
    expect(await history.listAnnotations()).toEqual([]);
  });
});

describe('recordGauge', () => {
  it('records each platform’s own score under its own kind', async () => {
    expect(await recordGauge(history, { platform: 'meta', value: 6.8 }, NOW)).toEqual({
      day: '2026-11-21',
      platform: 'meta',
      kind: 'event_match_quality',
      value: 6.8,
      recorded_at: NOW,
    });
    expect(await recordGauge(history, { platform: 'pinterest', value: '42', date: '2026-11-20' }, NOW)).toMatchObject({ kind: 'enhanced_match_coverage', value: 42 });
    expect(await recordGauge(history, { platform: 'tiktok', value: 55 }, NOW)).toMatchObject({ kind: 'match_indicator' });
    expect(await recordGauge(history, { platform: 'meta', value: 5.1, destination_id: 'meta-eu' }, NOW)).toMatchObject({ destination_id: 'meta-eu', value: 5.1 });
    expect((await history.listGauges({ platform: 'meta' })).map((g) => [g.destination_id, g.value])).toEqual([[undefined, 6.8], ['meta-eu', 5.1]]);
  });

  it('refuses platforms without a score, and values outside the platform’s scale', async () => {
    await expect(recordGauge(history, { platform: 'google', value: 5 }, NOW)).rejects.toMatchObject({ path: 'platform' });
    await expect(recordGauge(history, { platform: 'meta', value: 11 }, NOW)).rejects.toMatchObject({ path: 'value' });
    await expect(recordGauge(history, { platform: 'meta', value: 'high' }, NOW)).rejects.toMatchObject({ path: 'value' });
    await expect(recordGauge(history, { platform: 'meta', value: 5, destination_id: 'a b' }, NOW)).rejects.toMatchObject({ path: 'destination_id' });
    expect(await history.listGauges()).toEqual([]);
  });
});
