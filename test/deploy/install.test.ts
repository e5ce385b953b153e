import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';

// deploy/install.sh as an operator runs it, on a fresh copy of the repository's current files: it compiles,
// installs the runtime dependencies only (npm ci --omit=dev, offline from the npm cache), and lays out the user,
// data and configuration; then the installed, compiled gateway serves a real event from SQLite with no
// TypeScript loader. Fast enough for CI: the copy reuses the checkout's node_modules for the build step (the
// script's `npm ci` for it is what a fresh clone runs), and better-sqlite3's native binary — which npm would
// download as a prebuild, or compile for minutes — is handed to the installer as a local prebuild.

const ROOT = new URL('../../', import.meta.url).pathname;

function sourceCopy(into: string): void {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(ROOT, f))) continue; // deleted in the work tree, not yet committed
    mkdirSync(dirname(join(into, f)), { recursive: true });
    cpSync(join(ROOT, f), join(into, f));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(into, 'node_modules'));
}

/** better-sqlite3's prebuild tarball, named as prebuild-install looks for it, from the binary already built here. */
function localPrebuild(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string };
  const name = `better-sqlite3-v${pkg.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['czf', join(dir, name), '-C', join(ROOT, 'node_modules/better-sqlite3'), 'build/Release/better_sqlite3.node']);
  return dir;
}

describe('deploy/install.sh', () => {
  it('installs a compiled gateway with runtime dependencies only, an unprivileged owner and private files', { timeout: 20 * 60_000 }, async () => {
    const base = mkdtempSync(join(tmpdir(), 'mk-install-'));
    const src = join(base, 'src');
    const [app, data, etc, prebuilds] = ['app', 'data', 'etc', 'prebuilds'].map((d) => join(base, d)) as [string, string, string, string];
    mkdirSync(prebuilds);
    sourceCopy(src);
    // As root (CI containers), the files go to `nobody`, an existing unprivileged user; otherwise to whoever runs.
    const runUser = process.getuid?.() === 0 ? 'nobody' : userInfo().username;
    const started = Date.now();
    execFileSync('bash', [join(src, 'deploy/install.sh')], {
      env: {
        ...process.env,
        MATCHKEY_APP_DIR: app,
        MATCHKEY_DATA_DIR: data,
        MATCHKEY_CONFIG_DIR: etc,
        MATCHKEY_USER: runUser,
        MATCHKEY_NPM_FLAGS: '--offline',
        npm_config_better_sqlite3_local_prebuilds: localPrebuild(prebuilds),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    console.log(`deploy/install.sh took ${((Date.now() - started) / 1000).toFixed(0)} s`);

    // Compiled, with no dev dependency (no TypeScript, no tsx) in the runtime.
    expect(existsSync(join(app, 'dist/cli/main.js'))).toBe(true);
    expect(existsSync(join(app, 'dist/outbox/sqlite/migrations/001_init.sql'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/better-sqlite3'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);

    // Private files, owned by the service user.
    const uid = Number(execFileSync('id', ['-u', runUser], { encoding: 'utf8' }).trim());
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(data).uid).toBe(uid);
    for (const f of ['matchkey.config.json', 'matchkey.env']) {
      expect(statSync(join(etc, f)).mode & 0o777).toBe(0o600);
      expect(statSync(join(etc, f)).uid).toBe(uid);
    }
    const env = Object.fromEntries(
      readFileSync(join(etc, 'matchkey.env'), 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    ) as Record<string, string>;
    expect(env.MATCHKEY_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);

    // The template is a valid configuration once its variables are filled in.
    const filled = { ...env, SHOPIFY_WEBHOOK_SECRET: 'shpss_test', META_ACCESS_TOKEN: 'token' };
    const configText = readFileSync(join(etc, 'matchkey.config.json'), 'utf8');
    expect(validateConfig(JSON.parse(configText), 'template', filled).storage.url).toBe(`sqlite:${data}/matchkey.db`);

    // The installed gateway runs: --version, then serve (port 0) and a real event into SQLite in the data dir.
    const version = execFileSync(process.execPath, [join(app, 'bin/matchkey.js'), '--version'], { encoding: 'utf8' }).trim();
    expect(version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    writeFileSync(join(etc, 'run.config.json'), configText.replace('"port": 8080', '"port": 0'));
    const child = spawn(process.execPath, [join(app, 'bin/matchkey.js'), 'serve', '--config', join(etc, 'run.config.json')], {
      cwd: data,
      env: { ...process.env, ...filled, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`serve exited: ${out}`)));
    });
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.MATCHKEY_INGEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event_name: 'purchase', event_time: Math.floor(Date.now() / 1000), user: { email: 'jane@example.com', client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0' }, commerce: { order_id: '1001', value: 59.9, currency: 'USD' } }),
    });
    expect(res.status).toBe(202);
    child.kill('SIGTERM');
    expect((await once(child, 'exit'))[0]).toBe(0);
    expect(existsSync(join(data, 'matchkey.db'))).toBe(true);
  });
});
