import { expect, test } from '@playwright/test';
import { registerInUi, STRINGS, setCrsDown, syncNow, uniqueEmail, url } from './support/app.js';
import { PASSWORD } from './support/env.js';

const t = STRINGS.en;

test.describe('CRS outage', () => {
  test.afterEach(async () => {
    await setCrsDown(false);
    await syncNow();
  });

  test('the dashboard keeps answering from stored data and says it is stale', async ({ page }) => {
    await page.goto(url('/register'));
    await registerInUi(page, t, uniqueEmail('stale'), PASSWORD, 'Stale');
    await expect(page).toHaveURL(url('/'));
    const staleBadge = page.locator('.badge', { hasText: t['fresh.stale'] });
    await expect(staleBadge).toHaveCount(0);

    await setCrsDown(true);
    await syncNow();
    await expect(async () => {
      await page.reload();
      await expect(staleBadge).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 45_000, intervals: [1000, 2000, 3000] });
    await expect(staleBadge).toHaveAttribute('title', t['fresh.staleTitle']);
    await expect(page.getByRole('heading', { name: t['dash.empty.title'] })).toBeVisible();
  });
});
