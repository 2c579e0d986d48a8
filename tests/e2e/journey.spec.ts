import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import {
  fill,
  keyIdOf,
  type Locale,
  RELAY_TOKENS,
  registerInUi,
  relay,
  STRINGS,
  type Strings,
  seedHistory,
  shot,
  uniqueEmail,
  url,
  waitForUsage,
} from './support/app.js';
import { PASSWORD } from './support/env.js';

const BLOCKED = 'claude-opus-4-1-20250805';

/** Creates a key through the dialog and returns the secret the portal shows once. */
async function createKey(page: Page, t: Strings, name: string, opts: { screenshot?: string; blocked?: string } = {}) {
  const form = page.getByRole('dialog', { name: t['keyForm.createTitle'] });
  await expect(form).toBeVisible();
  await form.getByLabel(t['keyForm.name'], { exact: true }).fill(name);
  if (opts.blocked) await form.getByLabel(t['keyForm.models']).fill(opts.blocked);
  if (opts.screenshot) await shot(page, opts.screenshot, false);
  await form.getByRole('button', { name: t['keyForm.submitCreate'] }).click();

  const once = page.getByRole('dialog', { name: fill(t['secret.title'], { name }) });
  await expect(once).toBeVisible();
  await expect(once).toContainText(t['secret.warning']);
  const secret = await once.getByLabel(t['secret.label']).inputValue();
  expect(secret).toMatch(/^cr_[A-Za-z0-9]{16,}$/);
  return { once, secret };
}

for (const locale of ['en', 'zh-CN'] as Locale[]) {
  const t = STRINGS[locale];
  const suffix = locale === 'en' ? '' : `-${locale}`;
  const nf = new Intl.NumberFormat(locale);

  test.describe(`key holder journey (${locale})`, () => {
    // The browser's language alone picks the UI language (nothing stored yet).
    test.use({ locale: locale === 'en' ? 'en-US' : 'zh-CN' });

    test('register, create keys, see usage, compare, export, disable, delete, log out', async ({ page, context }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const email = uniqueEmail(`holder-${locale}`);

      await test.step('a visitor is sent to login, registers, and lands where they were going', async () => {
        await page.goto(url('/keys'));
        await expect(page).toHaveURL(url('/login?next=%2Fkeys'));
        await expect(page.getByRole('heading', { name: t['auth.login.title'] })).toBeVisible();
        await page.getByRole('link', { name: t['auth.login.register'] }).click();
        await expect(page).toHaveURL(url('/register?next=%2Fkeys'));
        await registerInUi(page, t, email, PASSWORD, `Holder ${locale}`);
        await expect(page).toHaveURL(url('/keys'));
        await expect(page.getByRole('heading', { name: t['keys.empty.title'] })).toBeVisible();
      });

      let secretA = '';
      await test.step('the first key: its secret is shown once, then only masked', async () => {
        await page.getByRole('button', { name: t['keys.empty.cta'] }).click();
        const { once, secret } = await createKey(page, t, 'Laptop', { blocked: BLOCKED });
        secretA = secret;
        await once.getByRole('button', { name: t['secret.copy'] }).click();
        // Strings are evaluated in the page (this file is type-checked without DOM types).
        expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
        await expect(once.locator('pre')).toContainText('https://relay.example.test');
        await expect(once.locator('pre')).toContainText(secret);
        await once.getByRole('button', { name: t['secret.done'] }).click();
        await expect(once).toBeHidden();

        const row = page.getByRole('row', { name: /Laptop/ });
        await expect(row).toContainText(`${secret.slice(0, 7)}…${secret.slice(-4)}`);
        await expect(page.locator('body')).not.toContainText(secret);
        await page.reload();
        await expect(page.getByRole('row', { name: /Laptop/ })).toBeVisible();
        await expect(page.locator('body')).not.toContainText(secret);
      });

      await test.step('a second key, from the header button', async () => {
        await page.getByRole('button', { name: t['keys.create'] }).click();
        const { once } = await createKey(page, t, 'CI pipeline', {
          screenshot: locale === 'en' ? 'keys-create-dialog' : undefined,
        });
        await once.getByRole('button', { name: t['secret.done'] }).click();
        await expect(page.getByRole('row', { name: /CI pipeline/ })).toBeVisible();
      });

      const idA = await keyIdOf(page, 'Laptop');
      const idB = await keyIdOf(page, 'CI pipeline');

      await test.step('the secret works with CRS; the blocked model is refused', async () => {
        for (let i = 0; i < 3; i++) expect(await relay(secretA)).toBe(200);
        expect(await relay(secretA, BLOCKED)).toBe(403);
        await seedHistory(idB, 12, 25, locale === 'en' ? 7 : 8);
      });

      const usage = await waitForUsage(page.request, 'range=30d', (u) => {
        const a = u.perKey.find((k) => k.keyId === idA);
        const b = u.perKey.find((k) => k.keyId === idB);
        return a?.tokens === 3 * RELAY_TOKENS && (b?.tokens ?? 0) > 0;
      });

      await test.step('the dashboard shows the synced usage', async () => {
        await page.getByRole('link', { name: t['nav.dashboard'] }).click();
        await expect(page).toHaveURL(url('/'));
        const card = (label: string) => page.locator('.stat', { hasText: label }).locator('.stat-value');
        await expect(card(t['dash.requests'])).toHaveText(nf.format(usage.totals.requests));
        await expect(card(t['dash.tokens'])).toHaveAttribute('title', nf.format(usage.totals.tokens));
        const perKey = page.locator('.card', { hasText: t['dash.perKey'] });
        await expect(perKey.getByRole('link', { name: 'Laptop' })).toBeVisible();
        await expect(perKey.getByRole('link', { name: 'CI pipeline' })).toBeVisible();
        await expect(page.getByText(fill(t['fresh.asOf'], { time: '' }).trim())).toBeVisible();
        await expect(page.locator('.badge', { hasText: t['fresh.stale'] })).toHaveCount(0);
        await expect(page.locator('.recharts-area')).toHaveCount(1);
        await shot(page, `dashboard${suffix}`);

        await page.getByRole('radio', { name: t['range.7d'] }).check();
        await expect(page).toHaveURL(url('/?range=7d'));
        await expect(page.locator('.recharts-xAxis .recharts-cartesian-axis-tick')).not.toHaveCount(0);
      });

      if (locale === 'en') {
        await test.step('the dashboard fits a 375 px phone', async () => {
          await page.goto(url('/'));
          await page.setViewportSize({ width: 375, height: 812 });
          await expect(page.locator('.stat-value').first()).toHaveText(nf.format(usage.totals.requests));
          const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
          expect(overflow).toBeLessThanOrEqual(0);
          await expect(page.getByRole('button', { name: t['nav.menu'] })).toBeVisible();
          await shot(page, 'dashboard-375');
          await page.getByRole('button', { name: t['nav.menu'] }).click();
          await expect(page.getByRole('link', { name: t['nav.keys'] })).toBeVisible();
          await page.getByRole('link', { name: t['nav.keys'] }).click();
          await expect(page).toHaveURL(url('/keys'));
          // Each key is a card on a phone (tests/e2e/phone.spec.ts); the page itself never scrolls sideways.
          await expect(page.getByRole('row', { name: /Laptop/ })).toBeVisible();
          expect(
            await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
          ).toBeLessThanOrEqual(0);
          await page.setViewportSize({ width: 1280, height: 860 });
        });
      }

      await test.step('compare the two keys: one line each, a table beneath', async () => {
        await page.getByRole('link', { name: t['nav.compare'] }).click();
        await expect(page.getByText(t['compare.needTwo'])).toBeVisible();
        await page.getByLabel('Laptop').check();
        await page.getByLabel('CI pipeline').check();
        await expect(page.locator('.recharts-line')).toHaveCount(2);
        const legend = page.locator('.recharts-legend-item');
        await expect(legend).toHaveCount(2);
        expect((await legend.allInnerTexts()).map((s) => s.trim()).sort()).toEqual(['CI pipeline', 'Laptop']);
        const rowA = page.getByRole('row', { name: /Laptop/ });
        await expect(rowA.getByRole('cell').nth(1)).toHaveText('3');
        const b = usage.perKey.find((k) => k.keyId === idB)!;
        await expect(
          page
            .getByRole('row', { name: /CI pipeline/ })
            .getByRole('cell')
            .nth(1),
        ).toHaveText(nf.format(b.requests));
        if (locale === 'en') await shot(page, 'compare');
      });

      await test.step('export a CSV: header, BOM, and the same numbers as the API', async () => {
        await page.getByRole('link', { name: t['nav.export'] }).click();
        await page.getByRole('radio', { name: t['export.csv'] }).check();
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('button', { name: t['export.download'] }).click(),
        ]);
        expect(download.suggestedFilename()).toMatch(/^usage-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
        const bytes = readFileSync(await download.path());
        expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
        const header = lines[0].split(',');
        expect(header).toEqual([
          'date',
          'keyId',
          'key',
          'model',
          'requests',
          'tokens',
          'inputTokens',
          'outputTokens',
          'cacheCreateTokens',
          'cacheReadTokens',
          'cost',
        ]);
        const rows = lines.slice(1).map((l) => l.split(','));
        const [key, tokens] = [header.indexOf('key'), header.indexOf('tokens')];
        const tokensOf = (name: string) =>
          rows.filter((r) => r[key] === name).reduce((s, r) => s + Number(r[tokens]), 0);
        expect(tokensOf('Laptop')).toBe(3 * RELAY_TOKENS);
        expect(tokensOf('Laptop') + tokensOf('CI pipeline')).toBe(usage.totals.tokens);
        expect(rows.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r[0]))).toBe(true);
        await expect(page.getByText(fill(t['export.done'], { file: download.suggestedFilename() }))).toBeVisible();
      });

      await test.step('the key detail page: limits, blocked model, usage and Claude Code instructions', async () => {
        await page.getByRole('link', { name: t['nav.keys'] }).click();
        await page.getByRole('link', { name: 'Laptop', exact: true }).click();
        await expect(page).toHaveURL(url(`/keys/${idA}`));
        await expect(page.getByRole('heading', { name: /Laptop/ })).toBeVisible();
        await expect(page.locator('.chip', { hasText: BLOCKED })).toBeVisible();
        const instructions = page.locator('.card', { hasText: t['detail.instructions'] });
        await expect(instructions.locator('pre')).toContainText('ANTHROPIC_BASE_URL');
        await expect(instructions.locator('pre')).toContainText('https://relay.example.test');
        await expect(instructions.locator('pre')).not.toContainText(secretA);
        const models = page.locator('.card', { hasText: t['detail.models'] });
        await expect(models.getByRole('row', { name: /claude-sonnet-4/ })).toBeVisible();
      });

      await test.step('edit the second key: description and a daily cost limit', async () => {
        await page.getByRole('link', { name: t['detail.back'] }).click();
        await page
          .getByRole('row', { name: /CI pipeline/ })
          .getByRole('button', { name: t['common.edit'] })
          .click();
        const form = page.getByRole('dialog', { name: fill(t['keyForm.editTitle'], { name: 'CI pipeline' }) });
        await form.getByLabel(new RegExp(t['keyForm.description'])).fill('Nightly refactors');
        await form.getByText(t['keyForm.limits'], { exact: true }).click();
        await form.getByLabel(t['keyForm.dailyCostLimit']).fill('5');
        await form.getByRole('button', { name: t['keyForm.submitEdit'] }).click();
        await expect(form).toBeHidden();
        await expect(page.getByText(t['toast.saved'])).toBeVisible();
        await expect(page.getByRole('row', { name: /CI pipeline/ })).toContainText('Nightly refactors');
        await page.getByRole('link', { name: 'CI pipeline', exact: true }).click();
        const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
        const limits = page.locator('.card', { hasText: t['detail.limits'] });
        await expect(limits.locator('div', { hasText: t['keyForm.dailyCostLimit'] }).locator('dd')).toHaveText(
          money.format(5),
        );
      });

      await test.step('disable the key: CRS refuses it; then delete it after a confirmation naming it', async () => {
        await page.getByRole('link', { name: t['detail.back'] }).click();
        const row = page.getByRole('row', { name: /Laptop/ });
        await row.getByRole('button', { name: t['common.disable'] }).click();
        await expect(row).toContainText(t['status.disabled']);
        await expect(page.getByText(fill(t['toast.disabled'], { name: 'Laptop' }))).toBeVisible();
        expect(await relay(secretA)).not.toBe(200);

        await row.getByRole('button', { name: t['common.delete'] }).click();
        const confirm = page.getByRole('dialog', { name: fill(t['keys.delete.title'], { name: 'Laptop' }) });
        await expect(confirm).toContainText(fill(t['keys.delete.body'], { name: 'Laptop' }));
        await confirm.getByRole('button', { name: t['keys.delete.confirm'] }).click();
        await expect(confirm).toBeHidden();
        await expect(page.getByRole('row', { name: /Laptop/ })).toHaveCount(0);
        await page.getByLabel(t['keys.statusFilter']).selectOption('deleted');
        await expect(page.getByRole('row', { name: /Laptop/ })).toContainText(t['status.deleted']);
        expect(await relay(secretA)).not.toBe(200);
      });

      await test.step('log out: the pages need a session again', async () => {
        await page.getByRole('button', { name: t['nav.logout'] }).click();
        await expect(page).toHaveURL(url('/login'));
        await page.goto(url('/compare'));
        await expect(page).toHaveURL(url('/login?next=%2Fcompare'));
      });
    });
  });
}
