import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, deliveryRows, simUploads, waitFor } from '../gateway/harness.js';
import { ensureDashboardBuilt, launchChromium, openPage, screenshotPath, signIn, type WatchedPage } from './browser.js';
import { SEEDED, SEEDED_EVENTS, startSeededGateway, type SeededGateway } from './seed.js';

// The dashboard in real headless Chromium against a gateway seeded through its own webhooks and API: sign-in
// gate, every page's data, a replay from the dead-letters page reaching the simulator, no console errors, the
// phone-width layout. Screenshots of each page go to docs/screenshots/ (docs/DASHBOARD.md shows them).

let seeded: SeededGateway;
let browser: Browser;
let desk: WatchedPage;

const PAGES = ['overview', 'match-keys', 'findings', 'inspector', 'dead-letters', 'dedup', 'reconciliation', 'alerts'] as const;

async function go(page: Page, hash: string): Promise<void> {
  // Strings: the test project is type-checked without the DOM library.
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}

async function noRawIdentity(page: Page): Promise<void> {
  const html = await page.content();
  for (const raw of SEEDED.rawEmails) expect(html).not.toContain(raw);
}

async function shoot(page: Page, name: string): Promise<void> {
  // Charts draw on the next frame; the shot waits for no network and one animation frame.
  await page.waitForLoadState('networkidle');
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => r(null)))');
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

beforeAll(async () => {
  await ensureDashboardBuilt();
  seeded = await startSeededGateway();
  browser = await launchChromium();
  desk = await openPage(browser, { width: 1280, height: 860 });
});

afterAll(async () => {
  await browser?.close();
  await seeded?.close();
});

describe('the dashboard', () => {
  it('shows only the sign-in form before signing in, and refuses a wrong token', async () => {
    const guest = await openPage(browser, { width: 1280, height: 860 });
    try {
      await guest.page.goto(`${seeded.gateway.url}/`);
      await expect.poll(() => guest.page.getByLabel('Admin token').isVisible()).toBe(true);
      expect(await guest.page.getByLabel('Admin token').getAttribute('type')).toBe('password');
      expect(await guest.page.locator('nav.nav').count()).toBe(0);
      // No data call at all until a token is given; nothing seeded is on the page.
      expect(guest.requests.filter((p) => p.startsWith('/api/'))).toEqual([]);
      const before = await guest.page.content();
      for (const id of [SEEDED.dead, SEEDED.rejected, 'order_5830042910001']) expect(before).not.toContain(id);
      await shoot(guest.page, 'sign-in');

      await signIn(guest.page, 'not-the-admin-token-0000');
      await expect.poll(() => guest.page.getByRole('alert').textContent()).toContain('refused');
      expect(await guest.page.locator('nav.nav').count()).toBe(0);
      expect(await guest.page.evaluate('sessionStorage.length')).toBe(0);
      // A hash route does not get past the gate either.
      await go(guest.page, '#/dead-letters');
      expect(await guest.page.locator('nav.nav').count()).toBe(0);
      expect(await guest.page.content()).not.toContain(SEEDED.dead);
    } finally {
      await guest.context.close();
    }
  });

  it('signs in with the admin token, kept in sessionStorage and never in the URL', async () => {
    await desk.page.goto(`${seeded.gateway.url}/`);
    await signIn(desk.page, ADMIN_TOKEN);
    await desk.page.locator('nav.nav').waitFor();
    expect(desk.page.url()).not.toContain(ADMIN_TOKEN);
    expect(await desk.page.evaluate("sessionStorage.getItem('matchkey.admin_token')")).toBe(ADMIN_TOKEN);
    expect(await desk.page.evaluate('localStorage.length')).toBe(0);
  });

  it('Overview: events in, per-destination outcomes, queue', async () => {
    const { page } = desk;
    await go(page, '#/overview');
    const eventsIn = page.locator('.stat', { hasText: 'Events in' }).locator('.stat-value');
    await expect.poll(() => eventsIn.textContent()).toBe(String(SEEDED_EVENTS));
    // Meta refused two events (the simulator's reject switch, the missing currency); TikTok lost one to its outage.
    const meta = page.locator('tr[data-destination="meta"]');
    await expect.poll(() => meta.locator('td').nth(4).textContent()).toBe('2');
    expect(await page.locator('tr[data-destination="tiktok"] td').nth(5).textContent()).toBe('1');
    expect(await page.locator('.destination-card', { hasText: 'tiktok' }).locator('[data-outcome="dead"]').textContent()).toContain('1');
    expect(await page.locator('.destination-card', { hasText: 'pinterest' }).locator('[data-outcome="delivered"]').textContent()).toContain(String(SEEDED_EVENTS));
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(1);
    // "Skipped" says what it means, in the header's tooltip and under the table.
    expect(await page.locator('.queue-table thead abbr', { hasText: 'Skipped' }).getAttribute('title')).toContain('decided when the event came in not to send it');
    expect(await page.locator('.skipped-note').textContent()).toContain('the shopper did not consent');
    await expect.poll(() => page.locator('.finding-list').textContent()).toContain('SERVER_IP');
    await noRawIdentity(page);
    await shoot(page, 'overview');
  });

  it('Match keys: coverage heat map and the readiness history with its annotation', async () => {
    const { page } = desk;
    await go(page, '#/match-keys');
    const metaEm = page.locator('.heat-row[data-platform="meta"] .heat-cell[data-key="em"] .heat-value');
    await expect.poll(() => metaEm.textContent()).toMatch(/^\d+%$/);
    // Every seeded event carried an email except the international order (contact_email only: still an email).
    expect(await metaEm.textContent()).toBe('100%');
    // Keys in words, the wire name beside.
    expect(await page.locator('.heat-row[data-platform="meta"] .heat-cell[data-key="em"] .heat-key').textContent()).toBe('Email em');
    expect(await page.locator('.heat-row[data-platform="tiktok"] .heat-cell[data-key="ttclid"] .heat-key').textContent()).toBe('Click ID ttclid');
    expect(await page.locator('.heat-row[data-platform="meta"] .heat-cell[data-key="ph"] .heat-wire').textContent()).toBe('ph');
    // One of the seven seeded purchases Google counts carries a gclid (the orders/paid fixture's landing_site); the
    // eighth seeded event is a cart add, which the Google destination does not upload.
    expect(await page.locator('.heat-row[data-platform="google"] .heat-cell[data-key="gclid"] .heat-value').textContent()).toBe('14%');
    expect(await page.getByText("Matchkey readiness (our estimate, not Meta's Event Match Quality)").count()).toBe(1);
    await expect.poll(() => page.locator('.annotations').textContent()).toContain(SEEDED.annotation);
    expect(await page.locator('.readiness-pill[data-platform="meta"] strong').textContent()).toMatch(/^\d+\.\d$/);
    await shoot(page, 'match-keys');
  });

  it("Match keys: the platforms' pulled scores, ours vs theirs per event and key, and the disagreement finding", async () => {
    const { page } = desk;
    await go(page, '#/match-keys');
    const metaScore = page.locator('.platform-score[data-platform="meta"] strong');
    await expect.poll(() => metaScore.textContent()).toBe(String(SEEDED.metaQuality.score));
    expect(await page.locator('.platform-score[data-platform="pinterest"] strong').textContent()).toBe('66');
    const metaEmail = page.locator('.quality-table tr[data-platform="meta"][data-event="purchase"][data-key="em"]');
    expect(await metaEmail.locator('.ours').textContent()).toBe('100%');
    expect(await metaEmail.locator('.theirs').textContent()).toMatch(new RegExp(`^${SEEDED.metaQuality.emailCoverage}% \\d{4}-\\d{2}-\\d{2}$`));
    expect(await metaEmail.getAttribute('class')).toBe('disagrees');
    // Pinterest's checkout is our purchase; its default report has email on 96.4% of them.
    expect(await page.locator('.quality-table tr[data-platform="pinterest"][data-event="purchase"][data-key="em"] .theirs').textContent()).toMatch(/^96% /);
    const finding = page.locator('.quality-finding[data-code="PLATFORM_COVERAGE_BELOW_SENT"][data-platform="meta"][data-key="em"]');
    expect(await finding.count()).toBe(1);
    expect(await finding.textContent()).toContain('Fix: ');
    expect(await page.locator('.quality-finding[data-key="ph"]').count()).toBe(0);
    // Google's upload success rate (Data Manager: from the requestStatus outcomes of the seeded purchases) beside ours.
    expect(await page.locator('.platform-score[data-platform="google"] strong').textContent()).toMatch(/^\d+(\.\d)?$/);
    expect(await page.locator('.upload-table tr[data-platform="google"] .theirs').textContent()).toMatch(/^\d+% \d{4}-\d{2}-\d{2}$/);
  });

  it('Findings: each finding with its count, platforms, fix and example events linking to the inspector', async () => {
    const { page } = desk;
    await go(page, '#/findings');
    const serverIp = page.locator('.finding[data-code="SERVER_IP"]');
    await serverIp.waitFor();
    expect(await serverIp.locator('.finding-count strong').textContent()).toBe('1');
    expect(await serverIp.locator('.fix').textContent()).toMatch(/Fix:/);
    expect(await serverIp.getByRole('link', { name: SEEDED.findings }).getAttribute('href')).toBe(`#/inspector?q=${SEEDED.findings}`);
    expect(await page.locator('.finding[data-code="MISSING_CURRENCY"] .finding-count strong').textContent()).toBe('1');
    await shoot(page, 'findings');
  });

  it('Event inspector: by order id, the stored hashed event, each platform request and every attempt', async () => {
    const { page } = desk;
    await go(page, '#/inspector');
    await page.getByLabel('Event id or order id').fill('#1001');
    await page.getByRole('button', { name: 'Inspect' }).click();
    const card = page.locator('.event-card', { hasText: `order_${SEEDED.shopifyOrderId}` });
    await card.waitFor();
    expect(await card.locator('.delivery').count()).toBe(5);
    const meta = card.locator('.delivery[data-destination="meta"]');
    expect(await meta.getAttribute('data-status')).toBe('delivered');
    expect(await meta.locator('.json').textContent()).toContain('"event_name": "Purchase"');
    expect(await meta.locator('table tbody tr').first().textContent()).toContain('200');
    expect(await card.locator('.delivery[data-destination="pinterest"] .json').textContent()).toContain('"event_name": "checkout"');
    // The Klaviyo leg's contact is never shown; hashes only.
    expect(await card.locator('.delivery[data-destination="klaviyo"]').textContent()).toContain('never shown here');
    await noRawIdentity(page);
    await shoot(page, 'inspector');

    // A dead event by its event_id: the failed attempt with the platform's answer.
    await go(page, `#/inspector?q=${SEEDED.dead}`);
    const tiktok = page.locator('.event-card', { hasText: SEEDED.dead }).locator('.delivery[data-destination="tiktok"]');
    await tiktok.waitFor();
    expect(await tiktok.getAttribute('data-status')).toBe('dead');
    expect(await tiktok.locator('table tbody tr').first().textContent()).toContain('503');
  });

  it('Dedup: paired share and orphans per platform', async () => {
    const { page } = desk;
    await go(page, '#/dedup');
    const meta = page.locator('tr[data-platform="meta"]');
    await meta.waitFor();
    // No browser leg in this shop yet: every server event is an orphan.
    expect(await meta.locator('td').nth(0).textContent()).toBe(String(SEEDED_EVENTS));
    expect(await meta.locator('.share-value').textContent()).toBe('0%');
    expect(await meta.locator('td').nth(4).textContent()).toBe(String(SEEDED_EVENTS));
    await shoot(page, 'dedup');
  });

  it('Reconciliation: the report from the order log, and an attributed CSV upload with immature days shaded', async () => {
    const { page } = desk;
    await go(page, '#/reconciliation');
    const orders = page.locator('.stat', { hasText: 'Orders of record' }).locator('.stat-value');
    await expect.poll(() => orders.textContent()).toBe('2');
    // Both seeded orders are read and kept: every order read is accounted for.
    await expect
      .poll(() => page.getByLabel('Orders read').textContent())
      .toBe('2 orders read = 2 kept + 0 left out (0 test · 0 cancelled · 0 unknown status · 0 unpaid · 0 refunded) + 0 outside the window');
    const today = new Date().toISOString().slice(0, 10);
    await page.locator('input[type="file"]').setInputFiles({
      name: 'attributed.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`platform,date,conversions,value,currency\nmeta,${today},1,598.94,USD\npinterest,${today},1,42.50,GBP\n`),
    });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Compared with' }).count()).toBe(1);
    const attributed = page.locator('.card', { hasText: 'Attributed by each platform' });
    const meta = attributed.locator('tr[data-platform="meta"]');
    await meta.waitFor();
    expect(await meta.locator('td').nth(0).textContent()).toBe('1');
    expect(await meta.locator('td').nth(2).textContent()).toBe('50.0%');
    // Today is inside every click window: immature, shaded.
    expect(await meta.locator('.day-immature').count()).toBeGreaterThan(0);
    expect(await attributed.locator('tr[data-platform="pinterest"] .day-immature').count()).toBeGreaterThanOrEqual(await meta.locator('.day-immature').count());
    await shoot(page, 'reconciliation');
  });

  it('Reconciliation: reads attributed conversions from the platforms, each window named, per day, and says which were not read', async () => {
    const { page } = desk;
    await go(page, '#/reconciliation');
    const clear = page.getByRole('button', { name: 'Clear upload' });
    if (await clear.count()) await clear.click();
    await page.getByLabel('Read attributed conversions from the platforms').check();
    const attributed = page.locator('.card', { hasText: 'Attributed by each platform' });
    const meta = attributed.locator('tr[data-platform="meta"]');
    await meta.waitFor();
    // What the seed told the simulators (both credit the same USD order), each platform with the window it was read with.
    expect(await meta.locator('.window').textContent()).toBe('7d_click,1d_view');
    expect(await meta.locator('.window-detail').textContent()).toContain('requested: action_attribution_windows=7d_click,1d_view');
    expect(await attributed.locator('tr[data-platform="pinterest"] .window').textContent()).toBe('30d_click,30d_engagement,1d_view');
    expect(Number(await meta.locator('td').nth(0).textContent())).toBe(1);
    // TikTok and Google have no reporting credentials in this configuration: listed as not read, with the key to set.
    const notRead = page.getByLabel('Not read');
    expect(await notRead.locator('[data-destination="tiktok"]').textContent()).toContain('reporting.advertiser_id');
    expect(await notRead.locator('[data-destination="google"]').textContent()).toContain('reporting.developer_token');
    const perDay = page.getByRole('table', { name: 'Per day' });
    expect(await perDay.locator('thead th').allTextContents()).toEqual(['Day', 'Orders of record', 'Meta (7d_click,1d_view)', 'Pinterest (30d_click,30d_engagement,1d_view)']);
    expect(await perDay.locator('tbody tr').count()).toBe(30);
    // No total across platforms anywhere on the page.
    expect(await page.locator('.card', { hasText: 'Attributed by each platform' }).textContent()).toContain('No total across platforms');
    await noRawIdentity(page);
    await shoot(page, 'reconciliation-platforms');
    await page.getByLabel('Read attributed conversions from the platforms').uncheck();
  });

  it('Dead letters: filters, then replaying the selected row re-queues it and the simulator receives it', async () => {
    const { page } = desk;
    await go(page, '#/dead-letters');
    await page.locator(`tr[data-event="${SEEDED.dead}"]`).waitFor();
    expect(await page.locator('tbody tr[data-delivery]').count()).toBe(3);
    await shoot(page, 'dead-letters');

    await page.locator('select[name="destination"]').selectOption('tiktok');
    await expect.poll(() => page.locator('tbody tr[data-delivery]').count()).toBe(1);
    await page.locator('select[name="destination"]').selectOption('');
    await page.locator('select[name="reason"]').selectOption('meta_100_2804019');
    await expect.poll(() => page.locator('tbody tr[data-delivery]').count()).toBe(2);
    await page.locator('select[name="reason"]').selectOption('');
    await expect.poll(() => page.locator('tbody tr[data-delivery]').count()).toBe(3);

    const before = (await simUploads(seeded.sim, 'tiktok')).length;
    await page.locator(`tr[data-event="${SEEDED.dead}"] input[type="checkbox"]`).check();
    await page.getByRole('button', { name: 'Replay selected (1)' }).click();
    await expect.poll(() => page.getByTestId('replay-result').textContent()).toContain('Re-queued 1 delivery');
    await waitFor('the replayed event at the TikTok simulator', async () => {
      const uploads = (await simUploads(seeded.sim, 'tiktok')).slice(before);
      return uploads.some((r) => r.status === 200 && JSON.stringify(r.body).includes(SEEDED.dead));
    });
    await waitFor('the replayed row delivered', () => deliveryRows(seeded.gateway.dbPath).some((r) => r.event_id === SEEDED.dead && r.destination_id === 'tiktok' && r.status === 'delivered'));
    // The list follows without a reload: the replayed row is gone.
    await expect.poll(() => page.locator(`tr[data-event="${SEEDED.dead}"]`).count(), { timeout: 15_000 }).toBe(0);
  });

  it("Alerts: the open dead-letters incident of meta and Meta's score drop, with the rules", async () => {
    const { page } = desk;
    await go(page, '#/alerts');
    const row = page.locator('tr[data-incident]', { hasText: 'dead_letters' }).filter({ hasText: 'meta' });
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.first().textContent()).toContain('open');
    const drop = page.locator('tr[data-incident]', { hasText: 'quality_drop' });
    await drop.first().waitFor({ timeout: 15_000 });
    expect(await drop.count()).toBe(1);
    expect(await drop.textContent()).toContain('meta:event_match_quality');
    expect(await drop.textContent()).toContain(`dropped 1.2 points within 7 days: 7.4 on`);
    expect(await page.locator('.card', { hasText: 'Rules and channels' }).textContent()).toContain('Rules: dead_letters, quality_drop. Channels: none.');
    await noRawIdentity(page);
    await shoot(page, 'alerts');
  });

  it('made no console errors on any page', () => {
    expect(desk.errors).toEqual([]);
  });

  it('fits a phone-width screen (390 px) without horizontal overflow', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    try {
      await phone.page.goto(`${seeded.gateway.url}/`);
      expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await signIn(phone.page, ADMIN_TOKEN);
      await phone.page.locator('nav.nav').waitFor();
      for (const p of PAGES) {
        await go(phone.page, `#/${p}${p === 'inspector' ? '?q=1001' : ''}`);
        await phone.page.locator('.card, .state-empty').first().waitFor();
        await phone.page.waitForLoadState('networkidle');
        const width = await phone.page.evaluate('document.documentElement.scrollWidth');
        expect({ page: p, width }).toEqual({ page: p, width: 390 });
      }
      await go(phone.page, '#/overview');
      await phone.page.locator('.destination-card').first().waitFor();
      // The queue table itself fits: one card per destination, no sideways scroll inside its wrapper.
      const queueFits = await phone.page.evaluate(
        "(() => { const w = document.querySelector('.queue-table').closest('.table-wrap'); return w.scrollWidth <= w.clientWidth; })()",
      );
      expect(queueFits).toBe(true);
      expect(await phone.page.locator('tr[data-destination="meta"] td[data-label="Delivered"]').isVisible()).toBe(true);
      await phone.page.locator('.queue-table').scrollIntoViewIfNeeded();
      await phone.page.screenshot({ path: screenshotPath('overview-phone-queue'), fullPage: false });
      await phone.page.screenshot({ path: screenshotPath('overview-phone'), fullPage: false });
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.context.close();
    }
  });
});
