import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openHistoryStore } from '../../src/diagnostics/history/open.js';
import { runCli } from '../../src/cli/testing/cli-args.js';

// `matchkey annotate` and `matchkey gauge` as real processes, writing into the database of --config's storage.url.

const dir = mkdtempSync(join(tmpdir(), 'mk-history-cli-'));
const db = join(dir, 'matchkey.db');
const config = join(dir, 'matchkey.config.json');
writeFileSync(config, JSON.stringify({ storage: { url: `sqlite:${db}` } }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const matchkey = (...args: string[]) => runCli(args);

describe('matchkey annotate / gauge', () => {
  it('stores an annotation and a platform gauge in the configured database', async () => {
    const note = await matchkey('annotate', 'sent external_id', '--date', '2026-11-20', '--config', config);
    expect(note).toMatchObject({ code: 0, stdout: 'annotated 2026-11-20: sent external_id\n' });
    const gauge = await matchkey('gauge', '--platform', 'meta', '--value', '6.8', '--date', '2026-11-21', '--config', config, '--json');
    expect(gauge.code).toBe(0);
    expect(JSON.parse(gauge.stdout)).toMatchObject({ day: '2026-11-21', platform: 'meta', kind: 'event_match_quality', value: 6.8 });

    const second = await matchkey('gauge', '--platform', 'meta', '--value', '5.1', '--date', '2026-11-21', '--destination', 'meta-eu', '--config', config);
    expect(second).toMatchObject({ code: 0, stdout: 'recorded meta (meta-eu) event_match_quality 5.1 for 2026-11-21\n' });

    const history = await openHistoryStore(`sqlite:${db}`);
    expect((await history.listAnnotations()).map((a) => [a.day, a.text])).toEqual([['2026-11-20', 'sent external_id']]);
    expect((await history.listGauges()).map((g) => [g.platform, g.destination_id, g.value])).toEqual([['meta', undefined, 6.8], ['meta', 'meta-eu', 5.1]]);
    await history.close();
  });

  it('exits 2 naming the flag on bad input', async () => {
    const platform = await matchkey('gauge', '--platform', 'google', '--value', '5', '--config', config);
    expect(platform.code).toBe(2);
    expect(platform.stderr).toMatch(/^matchkey gauge: --platform: expected one of meta, tiktok, pinterest/);
    const value = await matchkey('gauge', '--platform', 'meta', '--value', '12', '--config', config);
    expect(value.code).toBe(2);
    expect(value.stderr).toMatch(/--value: expected a number from 0 to 10/);
    const destination = await matchkey('gauge', '--platform', 'meta', '--value', '5', '--destination', 'no such', '--config', config);
    expect(destination.code).toBe(2);
    expect(destination.stderr).toMatch(/^matchkey gauge: --destination: expected a destination id/);
    const date = await matchkey('annotate', 'x', '--date', '2026-02-30', '--config', config);
    expect(date.code).toBe(2);
    expect(date.stderr).toMatch(/--date: expected a date as YYYY-MM-DD/);
  });
});
