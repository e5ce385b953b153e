import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig, type LoadedConfig } from './load.js';

// The configuration `npm start` runs with no config file (docs/CONFIGURATION.md): every platform pointed at
// the built-in simulators, embedded SQLite under ./data, keys taken from the environment or generated.

export interface DemoSecrets {
  ingestKey: string;
  adminToken: string;
  shopifySecret: string;
  /** MATCHKEY_SECRET_KEY as 64 hex characters. */
  secretKey: string;
  /** Which of them were generated (and so must be shown to the operator once). */
  generated: { ingestKey: boolean; adminToken: boolean; secretKey: boolean };
}

export interface DemoOptions {
  /** Base URL of the simulators (scheme://host:port). */
  simulatorUrl: string;
  dataDir?: string;
  host?: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
}

export const DEMO_DATA_DIR = './data';
const DEMO_SHOPIFY_SECRET = 'matchkey-demo-shopify-secret';

/** Reads or creates the demo's secrets. The sealing key persists in <dataDir>/secret.key (0600) so restarts can unseal. */
export function demoSecrets(dataDir: string, env: NodeJS.ProcessEnv = process.env): DemoSecrets {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const fromEnv = (name: string): string | undefined => (env[name] && env[name]!.trim() !== '' ? env[name]!.trim() : undefined);
  const ingestKey = fromEnv('MATCHKEY_INGEST_KEY');
  const adminToken = fromEnv('MATCHKEY_ADMIN_TOKEN');
  let secretKey = fromEnv('MATCHKEY_SECRET_KEY');
  let secretKeyGenerated = false;
  if (!secretKey) {
    const keyFile = join(dataDir, 'secret.key');
    if (existsSync(keyFile)) {
      secretKey = readFileSync(keyFile, 'utf8').trim();
    } else {
      secretKey = randomBytes(32).toString('hex');
      writeFileSync(keyFile, `${secretKey}\n`, { mode: 0o600, flag: 'wx' });
      secretKeyGenerated = true;
    }
    chmodSync(keyFile, 0o600);
  }
  return {
    ingestKey: ingestKey ?? `mk_ingest_${randomBytes(18).toString('base64url')}`,
    adminToken: adminToken ?? `mk_admin_${randomBytes(18).toString('base64url')}`,
    shopifySecret: fromEnv('SHOPIFY_WEBHOOK_SECRET') ?? DEMO_SHOPIFY_SECRET,
    secretKey,
    generated: { ingestKey: !ingestKey, adminToken: !adminToken, secretKey: secretKeyGenerated },
  };
}

/** The raw demo configuration object (validated by `demoConfig`). Credentials are placeholders the simulators accept. */
export function demoConfigObject(opts: DemoOptions, secrets: Pick<DemoSecrets, 'ingestKey' | 'adminToken' | 'shopifySecret'>): Record<string, unknown> {
  const dataDir = opts.dataDir ?? DEMO_DATA_DIR;
  const base_url = opts.simulatorUrl;
  const port = opts.port ?? 8080;
  return {
    server: { host: opts.host ?? '127.0.0.1', port },
    storage: { url: `sqlite:${join(dataDir, 'matchkey.db')}` },
    admin_token: secrets.adminToken,
    sources: {
      api_keys: [secrets.ingestKey],
      shopify: { webhook_secrets: [secrets.shopifySecret] },
      // Pages served by the gateway's own host may try the browser leg (/matchkey.js → /collect) in the demo.
      browser: { allowed_origins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`] },
    },
    destinations: [
      // `reporting`: the simulators also answer the reporting APIs, so the Reconciliation page shows attributed figures.
      { id: 'meta', platform: 'meta', pixel_id: '1234567890123456', access_token: 'demo-meta-access-token', base_url, reporting: { ad_account_id: 'act_1234567890' } },
      {
        id: 'tiktok',
        platform: 'tiktok',
        pixel_code: 'CDEMO00000000000000',
        access_token: 'demo-tiktok-access-token',
        base_url,
        reporting: { advertiser_id: '7000000000000000000', access_token: 'demo-tiktok-marketing-token' },
      },
      { id: 'pinterest', platform: 'pinterest', ad_account_id: '549755885175', access_token: 'demo-pinterest-access-token', base_url },
      {
        id: 'google',
        platform: 'google',
        customer_id: '1234567890',
        conversion_actions: { purchase: '987654321' },
        // Data Manager API (the default): Google processes accepted events later; the demo asks after 2 s.
        status_check_after_sec: 2,
        oauth: { client_id: 'demo-client-id', client_secret: 'demo-client-secret', refresh_token: 'demo-refresh-token' },
        reporting: { developer_token: 'demo-developer-token' },
        base_url,
      },
      { id: 'klaviyo', platform: 'klaviyo', api_key: 'pk_demo_0000000000000000', base_url },
      { id: 'microsoft', platform: 'microsoft', tag_id: '343210987', access_token: 'demo-microsoft-access-token', base_url },
      { id: 'reddit', platform: 'reddit', pixel_id: 'a2_demo0pixel', access_token: 'demo-reddit-access-token', base_url },
      { id: 'snapchat', platform: 'snapchat', pixel_id: 'demo-snap-pixel', access_token: 'demo-snapchat-access-token', base_url },
      { id: 'ga4', platform: 'ga4', measurement_id: 'G-DEMO000000', api_secret: 'demo-ga4-api-secret', base_url },
    ],
  };
}

export function demoConfig(opts: DemoOptions, secrets: Pick<DemoSecrets, 'ingestKey' | 'adminToken' | 'shopifySecret'>): LoadedConfig {
  return validateConfig(demoConfigObject(opts, secrets), 'demo', opts.env ?? process.env);
}
