import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import {
  adminBearer,
  fill,
  loginInUi,
  SCREENSHOTS,
  STRINGS,
  seedHistory,
  shot,
  syncNow,
  uniqueEmail,
  url,
} from './support/app.js';
import { ADMIN, env, PASSWORD } from './support/env.js';

/*
 * Issue 13, points 1–5 in the browser: limit meters on the key list and the key detail, the spend summary with its
 * stacked charts and tooltips, the hourly view, the request log with its filters, the monthly statement and the
 * operator's statements. Screenshots: limits.png, spend-summary.png, hourly.png, request-log.png, statement.png.
 */
const OPUS = 'claude-opus-4-1-20250805';

async function api<T>(token: string, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(url(p), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${p}`).toBeLessThan(300);
  return (await res.json()) as T;
}

/** An expensive relayed request: 20,000 Opus output tokens, $1.50 and change. */
async function opus(secret: string): Promise<number> {
  const res = await fetch(`${env('E2E_CRS_URL')}/api/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret },
    body: JSON.stringify({ model: OPUS, max_tokens: 20_000, messages: [{ role: 'user', content: 'Refactor it' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** A card's picture; the fixed top bar is hidden meanwhile, or it would cover a card taller than the window. */
async function elementShot(page: Page, el: Locator, name: string) {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('.skeleton')).toHaveCount(0);
  const style = await page.addStyleTag({ content: '.topbar { visibility: hidden !important; }' });
  await el.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), animations: 'disabled' });
  await style.evaluate((node: { remove(): void }) => node.remove());
}

/** Points at a bar (its middle) the way a person would: the chart's surface takes the pointer, not the bar. */
async function pointAt(page: Page, bar: Locator) {
  await bar.scrollIntoViewIfNeeded();
  const box = await bar.boundingBox();
  if (!box) throw new Error('the bar is not drawn');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
}

const noSideScroll = async (page: Page) =>
  expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(
    0,
  );

test.describe('limits, spend, hourly view, request log, statements', () => {
  test('a key holder sees what is left, what was spent, and what each request did', async ({ page }) => {
    const t = STRINGS.en;
    const email = uniqueEmail('insights');
    const { token } = await api<{ token: string }>('', 'POST', '/api/auth/register', {
      email,
      password: PASSWORD,
      displayName: 'Insights holder',
    });
    const expiresAt = new Date(Date.now() + 20 * 86_400_000).toISOString();
    const laptop = await api<{ key: { id: string }; secret: string }>(token, 'POST', '/api/keys', {
      name: 'Laptop',
      expiresAt,
      limits: {
        dailyCostLimit: 10,
        totalCostLimit: 50,
        weeklyOpusCostLimit: 8,
        rateLimitWindow: 60,
        rateLimitRequests: 20,
        tokenLimit: 400_000,
        rateLimitCost: 5,
        concurrencyLimit: 2,
      },
    });
    const ci = await api<{ key: { id: string } }>(token, 'POST', '/api/keys', {
      name: 'CI pipeline',
      limits: { dailyCostLimit: 3 },
    });
    for (let i = 0; i < 4; i++) expect(await opus(laptop.secret)).toBe(200);
    await seedHistory(laptop.key.id, 20, 12, 21);
    await seedHistory(ci.key.id, 20, 30, 22);
    // Until the sync has read the figures only CRS counts (the window, the week) and the history.
    await expect
      .poll(
        async () => {
          await syncNow();
          const k = await api<{ limitUsage: { kind: string; used: number | null }[] }>(
            token,
            'GET',
            `/api/keys/${laptop.key.id}`,
          );
          const sum = await api<{ current: { requests: number } }>(token, 'GET', '/api/stats/summary');
          const week = k.limitUsage.find((m) => m.kind === 'weekly_opus_cost')?.used ?? 0;
          return week > 6 && sum.current.requests > 100;
        },
        { timeout: 45_000, intervals: [1500] },
      )
      .toBe(true);

    await page.goto(url('/login'));
    await loginInUi(page, t, email, PASSWORD);
    await expect(page).toHaveURL(url('/'));

    await test.step('limit meters: compact on the list, full on the key, amber and red past the thresholds', async () => {
      await page.getByRole('link', { name: t['nav.keys'] }).click();
      const row = page.getByRole('row', { name: /Laptop/ });
      await expect(row.getByRole('meter').first()).toBeVisible();
      await shot(page, 'limits-list');
      await row.getByRole('link', { name: 'Laptop', exact: true }).click();
      const card = page.locator('.card', { has: page.getByRole('heading', { name: t['meter.title'] }) });
      await expect(card.getByRole('meter', { name: t['meter.weekly_opus_cost'] })).toBeVisible();
      await expect(card.locator('.meter-row-danger', { hasText: t['meter.window_cost'] })).toBeVisible();
      await expect(card.locator('.meter-row-warn', { hasText: t['meter.weekly_opus_cost'] })).toBeVisible();
      await expect(card.locator('.meter-row-ok', { hasText: t['meter.window_requests'] })).toContainText(
        fill(t['meter.usedOf'], { used: '4', limit: '20' }),
      );
      await expect(card).toContainText(t['meter.noFigure']);
      await expect(card.locator('.meter', { hasText: t['meter.expiry'] })).toContainText('in 20 days');
      await elementShot(page, card, 'limits');
    });

    await test.step('the request log: every request CRS keeps, paged and filtered, no duration column', async () => {
      const log = page.locator('.card', { has: page.getByRole('heading', { name: t['requests.title'] }) });
      await expect(log.getByRole('columnheader', { name: t['detail.duration'] })).toHaveCount(0);
      await expect(log.locator('.pagination')).toContainText('of 200');
      await log.getByLabel(t['requests.filterModel']).selectOption(OPUS);
      await expect(log.locator('tbody tr').first()).toContainText(OPUS);
      await expect(log.locator('.pagination')).not.toContainText('of 200');
      await elementShot(page, log, 'request-log');
    });

    await test.step('the spend summary: today, the month and its projection, stacked by key and by model', async () => {
      await page.getByRole('link', { name: t['nav.spend'] }).click();
      await expect(page.locator('[data-stat="month"] .stat-sub')).toContainText(
        fill(t['spend.projected'], { value: '' }).trim(),
      );
      const daily = page.locator('.card', { has: page.getByRole('heading', { name: t['spend.byDay'] }) });
      await expect(daily.locator('.recharts-bar')).toHaveCount(2);
      await daily.getByRole('radio', { name: t['spend.stack.model'] }).check();
      await expect(daily.locator('.recharts-legend-item', { hasText: OPUS })).toBeVisible();
      await pointAt(page, daily.locator('.recharts-bar-rectangle').last());
      await expect(page.locator('.chart-tip')).toContainText(t['chart.total']);
      await shot(page, 'spend-summary', false);
      await noSideScroll(page);
    });

    await test.step('the hourly view of the last 7 days', async () => {
      const hourly = page.locator('.card', { has: page.getByRole('heading', { name: t['spend.hourly'] }) });
      await hourly.scrollIntoViewIfNeeded();
      await expect(hourly.locator('.recharts-bar-rectangle').first()).toBeVisible();
      await pointAt(page, hourly.locator('.recharts-bar-rectangle').last());
      await expect(page.locator('.chart-tip')).toContainText('(UTC+8)');
      await elementShot(page, hourly, 'hourly');
    });

    await test.step('the monthly statement: each key and its models, adding up to the total', async () => {
      await page.getByRole('link', { name: t['nav.statement'] }).click();
      await expect(page.getByLabel(t['statement.month'], { exact: true })).toHaveValue(/^\d{4}-\d{2}$/);
      await expect(page.getByRole('rowheader', { name: 'Laptop' })).toBeVisible();
      await expect(page.locator('.statement-total')).toBeVisible();
      await shot(page, 'statement');
      await page.setViewportSize({ width: 375, height: 812 });
      await noSideScroll(page);
      await shot(page, 'statement-375');
      await page.goto(url('/spend'));
      await noSideScroll(page);
      await shot(page, 'spend-summary-375', false);
      await page.setViewportSize({ width: 1280, height: 860 });
    });

    await test.step('in Chinese', async () => {
      const zh = STRINGS['zh-CN'];
      // The top bar's language menu (the side menu has one too, for phones).
      await page.locator('.topbar').getByLabel(t['lang.label']).selectOption('zh-CN');
      await expect(page.getByRole('heading', { name: zh['spend.title'], exact: true })).toBeVisible();
      await expect(page.locator('[data-stat="today"] .stat-label')).toHaveText(zh['spend.today']);
      await shot(page, 'spend-summary-zh-CN', false);
      await page.goto(url(`/keys/${laptop.key.id}`));
      await expect(page.getByRole('heading', { name: zh['meter.title'] })).toBeVisible();
      await page.locator('.topbar').getByLabel(zh['lang.label']).selectOption('en');
    });
  });

  test('the operator splits the month’s bill: every user’s totals, and the same as CSV', async ({ page }) => {
    const t = STRINGS.en;
    await page.goto(url('/login'));
    await loginInUi(page, t, ADMIN.email, ADMIN.password);
    await expect(page).toHaveURL(url('/'));
    await page.goto(url('/admin/statements'));
    await expect(page.getByRole('link', { name: t['admin.tab.statements'] })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('row', { name: /Insights holder/ })).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: t['admin.statements.csv'] }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^statements-\d{4}-\d{2}\.csv$/);
    await shot(page, 'admin-statements');
    expect(await adminBearer()).toBeTruthy();
  });
});
