import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliArgs } from '../../src/cli/testing/cli-args.js';
import { ROOT, runCli } from '../gateway/harness.js';

// Progress of `matchkey audit` on stderr: drawn when stderr is a terminal (a pseudo-terminal from util-linux
// `script`), absent when it is a pipe; stdout carries the same report either way.

const FILE = 'test/fixtures/diagnostics/coverage-events.jsonl';
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe('progress on stderr', () => {
  it('is absent when stderr is not a terminal', async () => {
    const r = await runCli(['audit', '--now', '2025-11-28T12:00:00Z', FILE]);
    expect(r.stdout).toContain('readiness');
    expect(r.stderr).toBe('');
  });

  it('is drawn, then cleared, when stderr is a terminal', () => {
    const command = [process.execPath, ...cliArgs(['audit', '--now', '2025-11-28T12:00:00Z', FILE])].map(quote).join(' ');
    // Under `script` stdout and stderr share the terminal; stdout is sent to a pipe so only stderr reaches it.
    const transcript = execFileSync('script', ['-qec', `${command} >/dev/null`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(transcript).toContain(`matchkey audit: auditing ${FILE}`);
    expect(transcript).toMatch(/\d+ \/ \d+/);
    expect(transcript.endsWith('\r\x1b[K')).toBe(true);
  });
});
