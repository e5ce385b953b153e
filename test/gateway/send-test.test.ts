import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { InputError } from '../../src/errors.js';
import { sendTest } from '../../src/server/send-test.js';
import { configObject, destinationsFor, runCli, simUploads, startSim, tempDir, writeConfig, type Sim } from './harness.js';

// `matchkey send-test`: one test purchase through a destination's test mode, synchronously, against the simulators.

describe('send-test', () => {
  let sim: Sim;
  let raw: Record<string, unknown>;
  beforeAll(async () => {
    sim = await startSim();
    const dir = tempDir('mk-sendtest-');
    const [meta, tiktok, pinterest, google, klaviyo] = destinationsFor(sim.url);
    raw = configObject(dir, [
      { ...meta, test_event_code: 'TEST4242' },
      { ...meta, id: 'meta-no-code' },
      tiktok!,
      pinterest!,
      google!,
      klaviyo!,
    ]);
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('sends through Meta test mode and reports the answer and the keys carried', async () => {
    const result = await sendTest({ config: validateConfig(raw, 'test', {}), destinationId: 'meta' });
    expect(result).toMatchObject({ destination_id: 'meta', platform: 'meta', test_mode: true, status: 200, result: { ok: true } });
    expect(result.keys).toEqual(expect.arrayContaining(['em', 'ph', 'fn', 'ln', 'external_id', 'client_ip_address', 'client_user_agent', 'fbc', 'fbp']));
    expect(result.answer).toMatchObject({ events_received: 1 });
    const [request] = (await simUploads(sim, 'meta')).slice(-1);
    expect(request!.body.test_event_code).toBe('TEST4242');
  });

  it('takes the test event code from --test-event-code instead of the configuration', async () => {
    const result = await sendTest({ config: validateConfig(raw, 'test', {}), destinationId: 'meta', testEventCode: 'TEST9999' });
    expect(result).toMatchObject({ test_mode: true, result: { ok: true } });
    const [request] = (await simUploads(sim, 'meta')).slice(-1);
    expect(request!.body.test_event_code).toBe('TEST9999');
    await expect(sendTest({ config: validateConfig(raw, 'test', {}), destinationId: 'pinterest', testEventCode: 'X' })).rejects.toMatchObject({ path: '--test-event-code' });
  });

  it('puts Pinterest in test mode (?test=true) even when the destination is live', async () => {
    const result = await sendTest({ config: validateConfig(raw, 'test', {}), destinationId: 'pinterest' });
    expect(result).toMatchObject({ test_mode: true, result: { ok: true } });
    expect(result.keys).toEqual(expect.arrayContaining(['em', 'ph', 'client_ip_address']));
    const [request] = (await simUploads(sim, 'pinterest')).slice(-1);
    expect(request!.query.test).toBe('true');
  });

  it('refuses destinations that cannot be put in test mode, and unknown ids', async () => {
    const config = validateConfig(raw, 'test', {});
    await expect(sendTest({ config, destinationId: 'meta-no-code' })).rejects.toThrow(/test_event_code/);
    await expect(sendTest({ config, destinationId: 'klaviyo' })).rejects.toBeInstanceOf(InputError);
    await expect(sendTest({ config, destinationId: 'nope' })).rejects.toThrow(/configured: meta, meta-no-code/);
  });

  it('runs from the command line: exit 0 and a readable report', async () => {
    const dir = tempDir('mk-sendtest-cli-');
    const path = writeConfig(dir, { ...raw, storage: { url: `sqlite:${dir}/x.db` } });
    const res = await runCli(['send-test', '--destination', 'meta', '--config', path]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/keys carried: .*em/);
    expect(res.stdout).toContain('result: accepted');
    const refused = await runCli(['send-test', '--destination', 'meta-no-code', '--config', path]);
    expect(refused.code).toBe(2);
  });
});
