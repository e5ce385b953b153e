import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSecretKey } from '../outbox/seal.js';
import { demoConfig, demoSecrets } from './demo.js';

describe('demo configuration', () => {
  it('points every platform at the simulators and validates against each platform schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-demo-'));
    const secrets = demoSecrets(dir, {});
    const config = demoConfig({ simulatorUrl: 'http://127.0.0.1:4567', dataDir: dir, env: {} }, secrets);
    expect(config.destinations.map((d) => d.platform).sort()).toEqual(['ga4', 'google', 'klaviyo', 'meta', 'microsoft', 'pinterest', 'reddit', 'snapchat', 'tiktok']);
    for (const d of config.destinations) expect(d.base_url).toBe('http://127.0.0.1:4567');
    expect(config.storage.url).toBe(`sqlite:${join(dir, 'matchkey.db')}`);
    expect(config.sources.api_keys).toEqual([secrets.ingestKey]);
    expect(config.admin_token).toBe(secrets.adminToken);
  });

  it('generates keys unless the environment names them, and keeps the sealing key across restarts (0600)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-demo-'));
    const first = demoSecrets(dir, {});
    expect(first.generated).toEqual({ ingestKey: true, adminToken: true, secretKey: true });
    expect(parseSecretKey(first.secretKey)).toHaveLength(32);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const second = demoSecrets(dir, { MATCHKEY_INGEST_KEY: 'ingest-key-from-env-123', MATCHKEY_ADMIN_TOKEN: 'admin-token-from-env-123' });
    expect(second.secretKey).toBe(first.secretKey);
    expect(second.generated).toEqual({ ingestKey: false, adminToken: false, secretKey: false });
    expect(second.ingestKey).toBe('ingest-key-from-env-123');
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(first.secretKey);
  });

  it('uses MATCHKEY_SECRET_KEY from the environment without writing a key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-demo-'));
    const key = 'ab'.repeat(32);
    expect(demoSecrets(dir, { MATCHKEY_SECRET_KEY: key }).secretKey).toBe(key);
    expect(() => statSync(join(dir, 'secret.key'))).toThrow();
  });
});
