import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configObject, destinationsFor, startInProcess, startSim, tempDir, waitFor, type InProcessGateway, type Sim } from '../gateway/harness.js';

// Server-set first-party cookies in real headless Chromium: the shop on shop.localhost, the gateway on its subdomain
// collect.shop.localhost (both resolve to loopback) with cookie_domain "shop.localhost". A page view posted to
// /collect comes back with Set-Cookie; after a reload the page reads the platform cookies with document.cookie.

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(!existsSync(CHROMIUM))('first-party cookies set by /collect', () => {
  let pages: Server;
  let sim: Sim;
  let gw: InProcessGateway;
  let browser: Browser;
  let shopOrigin = '';
  let gatewayOrigin = '';

  beforeAll(async () => {
    pages = createServer((req, res) => {
      if ((req.url ?? '/').startsWith('/favicon')) return void res.writeHead(204).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><script src="${gatewayOrigin}/matchkey.js"></script></head><body>Shop</body></html>`);
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    shopOrigin = `http://shop.localhost:${(pages.address() as AddressInfo).port}`;
    sim = await startSim();
    const dir = tempDir('mk-cookies-');
    gw = await startInProcess(
      dir,
      configObject(dir, destinationsFor(sim.url, ['reddit']), {
        sources: { api_keys: ['test-ingest-key-0123456789'], browser: { allowed_origins: [shopOrigin], cookie_domain: 'shop.localhost' } },
      }),
    );
    gatewayOrigin = `http://collect.shop.localhost:${new URL(gw.url).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await sim?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });

  it('answers /collect with the platforms’ cookies on the shop’s domain, readable by the page after a reload', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${shopOrigin}/products/mug?msclkid=4bd4a5f5c8e61e1b8c3a0b1a2d3e4f50&ScCid=snap-click-1&rdt_cid=rdt-click-1`);
    await page.evaluate(() => (globalThis as any).matchkey.track('page_view'));

    const byName = await waitFor('the Set-Cookie of /collect', async () => {
      const cookies = Object.fromEntries((await context.cookies()).map((c) => [c.name, c]));
      return cookies._uetmsclkid && cookies._mk_vid ? cookies : undefined;
    });
    // _uetmsclkid is written by nobody but the gateway (matchkey.js keeps _mk_msclkid): the UET tag's own format.
    expect(byName._uetmsclkid).toMatchObject({ value: '_uet4bd4a5f5c8e61e1b8c3a0b1a2d3e4f50', domain: '.shop.localhost', secure: true, httpOnly: false, sameSite: 'Lax' });
    expect(byName._uetmsclkid!.expires - Date.now() / 1000).toBeGreaterThan(89 * 86400);
    expect(byName._mk_sccid).toMatchObject({ value: 'snap-click-1', domain: '.shop.localhost' });
    expect(byName._mk_rdt_cid).toMatchObject({ value: 'rdt-click-1', domain: '.shop.localhost' });
    expect(byName._mk_vid).toMatchObject({ domain: '.shop.localhost', httpOnly: true, secure: true });

    await page.reload();
    const visible = await page.evaluate(() => (globalThis as any).document.cookie as string);
    expect(visible).toContain('_uetmsclkid=_uet4bd4a5f5c8e61e1b8c3a0b1a2d3e4f50');
    expect(visible).toContain('_mk_sccid=snap-click-1');
    expect(visible).not.toContain('_mk_vid');

    // The next event carries the visitor id back, and the gateway keeps it.
    const vid = byName._mk_vid!.value;
    const answered = page.waitForResponse((r) => r.url().endsWith('/collect') && r.request().method() === 'POST');
    await page.evaluate(() => (globalThis as any).matchkey.track('page_view'));
    expect((await answered).status()).toBe(202);
    expect((await context.cookies()).find((c) => c.name === '_mk_vid')!.value).toBe(vid);
    await context.close();
  });
});
