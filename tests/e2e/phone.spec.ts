import { expect, type Locator, type Page, test } from '@playwright/test';
import { fill, type Locale, STRINGS, shot, url } from './support/app.js';
import { type Account, makeAdmin, makeUser, prepare, settle } from './support/pages.js';

/*
 * Issue 15, part B: every action and every main figure within reach on a phone (375 px) — a row's buttons are in
 * the viewport once the page is scrolled down to them, never behind a sideways scroll — and every dialog inside
 * the screen. The key list, a key, the sessions, the tokens and the admin pages are the rows with actions.
 */
const PHONE = { width: 375, height: 812 };

let user: Account;
let admin: Account;

async function api(path: string, token: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url(path), {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Scrolls the page down (never sideways) to `target` and asserts it is whole in the viewport: a control behind a
 * sideways scroll is clipped by its scrolling table and fails. The table's own scroll stays at its start.
 */
async function reachable(page: Page, target: Locator): Promise<void> {
  await expect(target).toBeVisible();
  const box = (await target.boundingBox())!;
  await page.evaluate(`window.scrollBy(0, ${Math.round(box.y - PHONE.height / 3)})`);
  await expect(target).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate('window.scrollX')).toBe(0);
  const sideways = await target.evaluate(
    (el: { closest(s: string): { scrollLeft: number; scrollWidth: number; clientWidth: number } | null }) => {
      const wrap = el.closest('.table-wrap');
      return wrap ? wrap.scrollLeft + Math.max(0, wrap.scrollWidth - wrap.clientWidth) : 0;
    },
  );
  expect(sideways, 'the table around it scrolls sideways').toBe(0);
}

/**
 * A dialog wholly inside the phone's screen, nothing in it wider than it, and each of its buttons in sight once
 * its body is scrolled down to it (a long form scrolls inside the dialog).
 */
async function fitsScreen(dialog: Locator): Promise<void> {
  await expect(dialog).toBeVisible();
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
  const body = dialog.locator('.dialog-body');
  expect(
    await body.evaluate((el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth - el.clientWidth),
  ).toBe(0);
  for (const button of await dialog.getByRole('button').all()) {
    await button.scrollIntoViewIfNeeded();
    await expect(button).toBeInViewport({ ratio: 1 });
  }
}

test.describe('on a phone, every action in reach', () => {
  test.use({ viewport: PHONE });
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    [user, admin] = await Promise.all([makeUser(), makeAdmin()]);
  });

  for (const locale of ['en', 'zh-CN'] as Locale[]) {
    test(`the key list: a card per key with its figures and its buttons (${locale})`, async ({ page, context }) => {
      const t = STRINGS[locale];
      await prepare(context, user, locale, 'light');
      await page.goto(url('/keys'));
      await settle(page);
      const card = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Laptop', exact: true }) });
      for (const name of [t['common.edit'], t['common.disable'], t['common.delete']]) {
        await reachable(page, card.getByRole('button', { name, exact: true }));
      }
      // The figures the desktop table shows in columns: each under its name.
      for (const label of ['common.lastUsed', 'common.tokens', 'common.cost', 'common.created'] as const) {
        await reachable(page, card.locator(`td[data-label="${t[label]}"]`));
      }
      // The headers are hidden with the columns; the sort is a control of its own.
      await page.getByLabel(t['keys.sort']).selectOption('tokens:asc');
      await expect(page).toHaveURL(/sort=tokens&order=asc/);
      if (locale === 'en') {
        await page.evaluate('window.scrollTo(0, 0)');
        await shot(page, 'keys-375');
      }

      await card.getByRole('button', { name: t['common.edit'], exact: true }).click();
      const edit = page.getByRole('dialog', { name: fill(t['keyForm.editTitle'], { name: 'Laptop' }) });
      await fitsScreen(edit);
      await edit.getByRole('button', { name: t['common.cancel'] }).click();
      await card.getByRole('button', { name: t['common.delete'], exact: true }).click();
      const confirm = page.getByRole('dialog', { name: fill(t['keys.delete.title'], { name: 'Laptop' }) });
      await fitsScreen(confirm);
      await confirm.getByRole('button', { name: t['common.cancel'] }).click();
      await page.getByRole('button', { name: `+ ${t['keys.create']}` }).click();
      await fitsScreen(page.getByRole('dialog', { name: t['keyForm.createTitle'] }));
    });
  }

  test('a key: its buttons and its request log', async ({ page, context }) => {
    const t = STRINGS.en;
    await prepare(context, user, 'en', 'light');
    await page.goto(url(`/keys/${user.params.id}`));
    await settle(page);
    for (const name of [t['common.edit'], t['common.disable'], t['common.delete']]) {
      await reachable(page, page.locator('.page-actions').getByRole('button', { name, exact: true }));
    }
    const log = page.locator('.card', { hasText: t['requests.title'] });
    const first = log.getByRole('row').nth(1);
    await reachable(page, first.locator(`td[data-label="${t['common.cost']}"]`));
    await reachable(page, first.locator(`td[data-label="${t['requests.cacheRead']}"]`));
    await shot(page, 'key-requests-375', false);
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, 'key-detail-375', false);
  });

  test('settings: revoke a session, revoke a token', async ({ page, context }) => {
    const t = STRINGS.en;
    await api('/api/tokens', user.token!, { name: 'phone token', scopes: ['read'], expiresAt: null });
    await prepare(context, user, 'en', 'light');
    await page.goto(url('/settings'));
    await settle(page);
    const sessions = page.locator('.card', { has: page.getByRole('heading', { name: t['settings.sessions'] }) });
    await reachable(page, sessions.getByRole('button', { name: t['settings.revoke'] }).first());
    const tokens = page.locator('.card', { has: page.getByRole('heading', { name: t['tokens.title'] }) });
    await reachable(
      page,
      tokens.getByRole('row', { name: /phone token/ }).getByRole('button', { name: t['tokens.revoke'] }),
    );
  });

  test('admin: a user’s role, status and quota; an invite’s revoke', async ({ page, context }) => {
    const t = STRINGS.en;
    await api('/api/admin/invites', admin.token!, { count: 1 });
    await prepare(context, admin, 'en', 'light');
    await page.goto(url('/admin/users'));
    await settle(page);
    const someone = page.getByRole('row').filter({ hasText: '@e2e.test' }).filter({ hasNotText: 'operator@' }).first();
    const email = (await someone.locator('.cell-main .strong').textContent())!.trim();
    for (const label of ['admin.users.roleFor', 'admin.users.statusFor', 'admin.users.quotaFor'] as const) {
      await reachable(page, page.getByLabel(fill(t[label], { email }), { exact: true }));
    }
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, 'admin-users-375', false);

    await page.goto(url('/admin/invites'));
    await settle(page);
    const invites = page.getByTestId('invite-list');
    await reachable(page, invites.getByRole('button', { name: t['admin.invites.revoke'] }).first());
  });

  test('dark mode: the key list', async ({ page, context }) => {
    await prepare(context, user, 'en', 'dark');
    await page.goto(url('/keys'));
    await settle(page);
    expect(await page.evaluate('getComputedStyle(document.documentElement).backgroundColor')).toBe('rgb(15, 18, 22)');
    await shot(page, 'keys-dark-375');
  });
});
