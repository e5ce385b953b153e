import { describe, expect, it } from 'vitest';
import { ConfigErrors, InputError } from '../errors.js';
import { validateConfig } from './load.js';

function problems(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    validateConfig(raw, 'matchkey.config.json', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigErrors);
    return (err as ConfigErrors).errors.map((e) => e.message);
  }
  throw new Error('expected the configuration to be refused');
}

const meta = { id: 'meta', platform: 'meta', pixel_id: '123', access_token: 'token' };
const tiktok = { id: 'tiktok', platform: 'tiktok', pixel_code: 'C4AB', access_token: 'token' };
const pinterest = { id: 'pinterest', platform: 'pinterest', ad_account_id: '5497', access_token: 'token' };
const ga4 = { id: 'ga4', platform: 'ga4', measurement_id: 'G-ABC123XYZ9', api_secret: 'secret-value-1' };
const snapchat = { id: 'snapchat', platform: 'snapchat', pixel_id: 'snap-pixel', access_token: 'token' };
const microsoft = { id: 'microsoft', platform: 'microsoft', tag_id: '343210987', access_token: 'token' };
const reddit = { id: 'reddit', platform: 'reddit', pixel_id: 'a2_pixel', access_token: 'token' };

describe('strict configuration, every error at once', () => {
  it.each([
    ['meta', meta, 'test_event_cod', 'test_event_code'],
    ['tiktok', tiktok, 'test_event_cod', 'test_event_code'],
    ['pinterest', pinterest, 'tset', 'test'],
    ['ga4', ga4, 'measurment_id', 'measurement_id'],
    ['snapchat', snapchat, 'pixel_idd', 'pixel_id'],
    ['microsoft', microsoft, 'tagid', 'tag_id'],
    ['reddit', reddit, 'test_idd', 'test_id'],
  ])('refuses a misspelt %s key, naming it and the key meant', (_name, destination, typo, meant) => {
    expect(problems({ destinations: [{ ...destination, [typo]: 'TEST123' }] })).toEqual([
      `destinations.0.${typo}: unknown key "${typo}" (did you mean "${meant}"?)`,
    ]);
  });

  it('names the key path of a single problem', () => {
    let thrown: unknown;
    try {
      validateConfig({ destinations: [{ ...meta, test_event_cod: 'TEST1' }] }, 'x.json', {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).path).toBe('destinations.0.test_event_cod');
  });

  it('reports every problem of the file in one run, each with its key path', () => {
    const raw = {
      servr: {},
      server: { prot: 8080 },
      destinations: [
        { id: 'meta', platform: 'meta', access_token: '${META_TOKEN}' },
        { ...tiktok, test_event_cod: 'TEST1' },
        { id: 'x', platform: 'metaa' },
      ],
    };
    expect(problems(raw).sort()).toEqual(
      [
        'servr: unknown key "servr" (did you mean "server"?)',
        'server.prot: unknown key "prot" (did you mean "port"?)',
        'destinations.0.access_token: environment variable META_TOKEN is not set',
        'destinations.0.pixel_id: required',
        'destinations.1.test_event_cod: unknown key "test_event_cod" (did you mean "test_event_code"?)',
        'destinations.2.platform: expected one of "meta", "tiktok", "pinterest", "google", "klaviyo", "ga4", "snapchat", "microsoft", "reddit"',
      ].sort(),
    );
  });

  it('says "required" for a missing key and names each duplicate id', () => {
    expect(problems({ destinations: [{ ...pinterest, access_token: undefined }, pinterest, pinterest] })).toEqual([
      'destinations.0.access_token: required',
      'destinations.1.id: duplicate destination id "pinterest"',
      'destinations.2.id: duplicate destination id "pinterest"',
    ]);
  });

  it('accepts a valid file', () => {
    const config = validateConfig({ destinations: [meta, tiktok, pinterest] }, 'x.json', {});
    expect(config.destinations.map((d) => d.id)).toEqual(['meta', 'tiktok', 'pinterest']);
  });
});
