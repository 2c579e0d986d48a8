import { expect, test } from '@playwright/test';
import {
  adminBearer,
  fill,
  loginInUi,
  registerInUi,
  STRINGS,
  seedHistory,
  shot,
  syncNow,
  uniqueEmail,
  url,
} from './support/app.js';
import { ADMIN, PASSWORD } from './support/env.js';

const t = STRINGS.en;

/** A user with one key that has some CRS history, made the way a script would (bearer token). */
async function userWithUsage(email: string): Promise<string> {
  const res = await fetch(url('/api/auth/register'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, displayName: 'Managed user' }),
  });
  expect(res.status).toBe(201);
  const { token } = (await res.json()) as { token: string };
  const created = await fetch(url('/api/keys'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'Managed key' }),
  });
  expect(created.status).toBe(201);
  const { key } = (await created.json()) as { key: { id: string } };
  await seedHistory(key.id, 3, 5, 3);
  await expect
    .poll(
      async () => {
        await syncNow();
        const lb = await fetch(url('/api/stats/leaderboard?scope=all&limit=100'), {
          headers: { authorization: `Bearer ${await adminBearer()}` },
        });
        const body = (await lb.json()) as { items: { keyId: string; tokens: number }[] };
        return body.items.find((i) => i.keyId === key.id)?.tokens ?? 0;
      },
      { timeout: 45_000, intervals: [1000, 2000] },
    )
    .toBeGreaterThan(0);
  return key.id;
}

async function adminUser(email: string) {
  const res = await fetch(url(`/api/admin/users?search=${encodeURIComponent(email)}`), {
    headers: { authorization: `Bearer ${await adminBearer()}` },
  });
  const body = (await res.json()) as { items: { email: string; maxKeys: number; status: string }[] };
  return body.items.find((u) => u.email === email)!;
}

test.describe('operator journey', () => {
  test('overview, sync now, users, invites, cache purge, leaderboard across users', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const managed = uniqueEmail('managed');
    await userWithUsage(managed);

    await test.step('sign in as the operator and land on the admin page asked for', async () => {
      await page.goto(url('/admin'));
      await expect(page).toHaveURL(url('/login?next=%2Fadmin'));
      await loginInUi(page, t, ADMIN.email, ADMIN.password);
      await expect(page).toHaveURL(url('/admin'));
      await expect(page.getByRole('link', { name: t['nav.admin'] })).toHaveAttribute('aria-current', 'page');
    });

    await test.step('overview: CRS, portal counts, sync status, cache, alerts; sync now', async () => {
      const portal = page.locator('.card', { hasText: t['admin.portal'] }).first();
      await expect(portal).toContainText(t['admin.portal.users']);
      await expect(portal).toContainText(t['admin.mode.production']);
      const crs = page.locator('.card', { has: page.getByRole('heading', { name: t['admin.crs'], exact: true }) });
      await expect(crs).toContainText(t['admin.crs.totalApiKeys']);
      // Either "no alerts" or the list of alerts (a loaded 2-core CI box may trip the latency alert).
      await expect(page.locator('.alert-success, .alert-warning').first()).toBeVisible();
      await expect(page.locator('.card', { hasText: t['admin.cache.hitRate'] }).last()).toContainText('stats');
      // Production mode: no demo label anywhere.
      await expect(page.getByTestId('demo-badge')).toHaveCount(0);

      const sync = page.locator('.card', { hasText: t['admin.sync'] });
      const lastRun = async () => {
        const res = await fetch(url('/api/admin/overview'), {
          headers: { authorization: `Bearer ${await adminBearer()}` },
        });
        return ((await res.json()) as { sync: { lastRunAt: string | null } }).sync.lastRunAt;
      };
      const before = await lastRun();
      await sync.getByRole('button', { name: t['admin.sync.now'] }).click();
      await expect(page.getByText(t['admin.sync.started'])).toBeVisible();
      await expect.poll(lastRun).not.toBe(before);
      await shot(page, 'admin-overview');
    });

    await test.step('users: set a key quota, disable and re-enable an account', async () => {
      await page.getByRole('link', { name: t['admin.tab.users'] }).click();
      await expect(page).toHaveURL(url('/admin/users'));
      await page.getByLabel(t['admin.users.search']).fill(managed);
      const row = page.getByRole('row', { name: new RegExp(managed) });
      await expect(row).toBeVisible();
      await expect(page.getByRole('row')).toHaveCount(2);

      const quota = row.getByLabel(fill(t['admin.users.quotaFor'], { email: managed }));
      await quota.fill('3');
      await quota.press('Enter');
      await expect(page.getByText(fill(t['admin.users.saved'], { email: managed }))).toBeVisible();
      await expect.poll(async () => (await adminUser(managed)).maxKeys).toBe(3);

      await row.getByLabel(fill(t['admin.users.statusFor'], { email: managed })).selectOption('disabled');
      await expect.poll(async () => (await adminUser(managed)).status).toBe('disabled');
      const refused = await fetch(url('/api/auth/login'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: managed, password: PASSWORD }),
      });
      expect(refused.status).not.toBe(200);
      await row.getByLabel(fill(t['admin.users.statusFor'], { email: managed })).selectOption('active');
      await expect.poll(async () => (await adminUser(managed)).status).toBe('active');
    });

    await test.step('invites: create codes, shown to copy', async () => {
      await page.getByRole('link', { name: t['admin.tab.invites'] }).click();
      await page.getByLabel(t['admin.invites.count']).fill('3');
      await page.getByRole('button', { name: t['admin.invites.create'] }).click();
      const codes = page.getByTestId('invite-codes').locator('li');
      await expect(codes).toHaveCount(3);
      const texts = await codes.allInnerTexts();
      expect(new Set(texts).size).toBe(3);
      await page.getByRole('button', { name: t['admin.invites.copyAll'] }).click();
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(texts.map((s) => s.trim()).join('\n'));
    });

    await test.step('cache: purge one namespace, then everything', async () => {
      await page.getByRole('link', { name: t['admin.tab.cache'] }).click();
      await expect(page.getByRole('row', { name: /^stats / })).toBeVisible();
      await page.getByRole('button', { name: fill(t['admin.cache.purgeNs'], { ns: 'stats' }) }).click();
      await expect(page.getByText(/\d+ entries purged/)).toBeVisible();
      await page.getByRole('button', { name: t['admin.cache.purgeAll'] }).click();
      await expect(page.getByText(/\d+ entries purged/).last()).toBeVisible();
    });

    await test.step('leaderboard: the operator can rank every user', async () => {
      await page.getByRole('link', { name: t['nav.leaderboard'] }).click();
      await page.getByRole('radio', { name: t['lb.scope.all'] }).check();
      await expect(page.getByRole('columnheader', { name: t['lb.owner'] })).toBeVisible();
      await expect(page.getByRole('row', { name: /Managed key/ })).toContainText('Managed user');
    });
  });

  test('a plain user has no admin page', async ({ page }) => {
    await page.goto(url('/register'));
    await registerInUi(page, t, uniqueEmail('plain'), PASSWORD, 'Plain user');
    await expect(page).toHaveURL(url('/'));
    await expect(page.getByRole('link', { name: t['nav.admin'] })).toHaveCount(0);
    await page.goto(url('/admin'));
    await expect(page.getByText(t['admin.forbidden'])).toBeVisible();
    await page.goto(url('/leaderboard'));
    await expect(page.getByRole('radio', { name: t['lb.scope.all'] })).toHaveCount(0);
  });
});
