import { createServer, type AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cliArgs } from '../testing/cli-args.js';
import { describe, expect, it } from 'vitest';

// `matchkey simulate` as a user runs it: a real process, a real port, real HTTP.


describe('matchkey simulate', () => {
  it('starts the simulators, prints the URL, serves requests and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, cliArgs(['simulate', '--port', '0', '--json']), { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          const nl = out.indexOf('\n');
          if (nl >= 0) resolve(out.slice(0, nl));
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const { url, port } = JSON.parse(line) as { url: string; port: number };
      expect(port).toBeGreaterThan(0);
      expect(url).toBe(`http://127.0.0.1:${port}`);
      const res = await fetch(`${url}/_sim/stats`);
      expect(res.status).toBe(200);
      const stats = (await res.json()) as { totals: { meta: { requests: number } } };
      expect(stats.totals.meta.requests).toBe(0);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 2 with one line when the port is taken, like serve', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const child = spawn(process.execPath, cliArgs(['simulate', '--port', String(port)]), { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const [code] = await once(child, 'exit');
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain('EADDRINUSE');
    } finally {
      busy.close();
    }
  });

  it('refuses a bad port with exit code 2', async () => {
    const child = spawn(process.execPath, cliArgs(['simulate', '--port', 'abc']), { stdio: ['ignore', 'pipe', 'pipe'] });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
  });
});
