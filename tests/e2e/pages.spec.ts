import { appendFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ROUTES, type RouteDef } from '../../web/src/route-table.js';
import { KNOWN_FAILURES, type KnownFailure } from './known-failures.js';
import { fill, type Locale, STRINGS, shot, url } from './support/app.js';
import {
  type Account,
  fillPath,
  inspect,
  makeAdmin,
  makeUser,
  prepare,
  settle,
  signedOut,
  type Theme,
  type Visitor,
} from './support/pages.js';

/*
 * Issue 15, point 6: every page of the route table (web/src/route-table.ts — a page added there is visited without
 * anyone listing it here), at 375 px, in both languages and both themes, by the visitor it is for: no sideways
 * overflow, no table scrolling sideways (its rows are cards or its columns fit), no serious or critical axe
 * violation, its own title. Failures that were there when the checks arrived
 * are listed in known-failures.ts; anything else fails. KP_PAGES_REPORT=<file> appends every visit's findings there.
 */
const PHONE = { width: 375, height: 812 };
const LOCALES: Locale[] = ['en', 'zh-CN'];
const THEMES: Theme[] = ['light', 'dark'];
const NOT_FOUND = { path: '/no-such-page', page: 'notFound', title: 'notFound.title', access: 'user' } as const;

const visits: { visitor: Visitor; route: RouteDef }[] = [
  ...ROUTES.filter((r) => r.access === 'public').map((route) => ({ visitor: 'signed-out' as const, route })),
  ...ROUTES.filter((r) => r.access === 'user').map((route) => ({ visitor: 'user' as const, route })),
  { visitor: 'user', route: NOT_FOUND },
  ...ROUTES.filter((r) => r.access === 'admin').map((route) => ({ visitor: 'admin' as const, route })),
];

const accounts: Partial<Record<Visitor, Account>> = { 'signed-out': signedOut };

/** The page visits' user, or a new one when a test runs alone. */
async function user(): Promise<Account> {
  accounts.user ??= await makeUser();
  return accounts.user;
}

function applies(k: KnownFailure, visit: { locale: Locale; theme: Theme; visitor: Visitor }): boolean {
  const only = k.only ?? {};
  return (
    (!only.locale || only.locale === visit.locale) &&
    (!only.theme || only.theme === visit.theme) &&
    (!only.visitor || only.visitor === visit.visitor)
  );
}

test.describe('every page at 375 px, in both languages and themes', () => {
  test.use({ viewport: PHONE });
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    accounts.user = await makeUser();
    accounts.admin = await makeAdmin();
  });

  for (const { visitor, route } of visits) {
    for (const locale of LOCALES) {
      for (const theme of THEMES) {
        test(`${visitor} ${route.path} ${locale} ${theme}`, async ({ page, context }) => {
          const t = STRINGS[locale];
          const account = accounts[visitor]!;
          await prepare(context, account, locale, theme);
          const path = fillPath(route.path, account.params);
          await page.goto(url(path));
          await settle(page);
          expect(new URL(page.url()).pathname, 'the page itself, not a redirect').toBe(path);

          const title = await page.title();
          expect(title).toContain(t[route.title]);
          expect(title).not.toBe(t['app.name']);

          if (visitor === 'signed-out' && route.path === '/login' && theme === 'light' && locale === 'en') {
            await shot(page, 'login-375');
          }

          const found = await inspect(page);
          if (process.env.KP_PAGES_REPORT) {
            const line = { path: route.path, visitor, locale, theme, ...found };
            appendFileSync(process.env.KP_PAGES_REPORT, `${JSON.stringify(line)}\n`);
          }
          const actual = [
            ...(found.overflow ? ['overflow'] : []),
            ...(found.sideways ? ['sideways'] : []),
            ...Object.keys(found.axe).map((rule) => `axe:${rule}`),
          ];
          const known = (KNOWN_FAILURES[route.path] ?? []).filter((k) => applies(k, { locale, theme, visitor }));
          const unexpected = actual
            .filter((a) => !known.some((k) => k.check === a))
            .map((a) => `${a} — ${a === 'overflow' || a === 'sideways' ? found[a] : found.axe[a.slice(4)]}`);
          expect(unexpected, 'new failures (fix them; list them in known-failures.ts only with a reason)').toEqual([]);
          const fixed = known.filter((k) => !actual.includes(k.check)).map((k) => k.check);
          expect(fixed, 'listed in tests/e2e/known-failures.ts but no longer failing: remove them').toEqual([]);
        });
      }
    }
  }
});

test.describe('the one-time secret dialog on a phone', () => {
  test.use({ viewport: PHONE });

  for (const locale of LOCALES) {
    test(`fits 375 px and its confirmation is reachable (${locale})`, async ({ page, context }) => {
      const t = STRINGS[locale];
      const account = await user();
      await prepare(context, account, locale, 'light');
      await page.goto(url('/keys?create=1'));
      const form = page.getByRole('dialog', { name: t['keyForm.createTitle'] });
      await form.getByLabel(t['keyForm.name'], { exact: true }).fill('Phone key');
      await form.getByRole('button', { name: t['keyForm.submitCreate'] }).click();

      const once = page.getByRole('dialog', { name: fill(t['secret.title'], { name: 'Phone key' }) });
      await expect(once).toBeVisible();
      const box = (await once.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
      await expect(once.getByText(t['secret.warning'])).toBeInViewport({ ratio: 1 });
      const done = once.getByRole('button', { name: t['secret.done'] });
      await expect(done).toBeInViewport({ ratio: 1 });
      const snippet = once.locator('pre');
      expect(await snippet.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      if (locale === 'en') await shot(page, 'secret-dialog-375', false);
      await done.click();
      await expect(once).toBeHidden();
    });
  }
});

test.describe('dark mode', () => {
  test('the dashboard follows the system’s dark scheme, charts included', async ({ page, context }) => {
    const account = await user();
    await prepare(context, account, 'en', 'dark');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(url('/'));
    await settle(page);
    await expect(page.locator('.chart svg').first()).toBeVisible();
    // The page's background and the chart's line are the dark theme's (styles.css: --bg, --chart-1).
    expect(await page.evaluate('getComputedStyle(document.documentElement).backgroundColor')).toBe('rgb(15, 18, 22)');
    const stroke = "getComputedStyle(document.querySelector('.chart .recharts-area-curve')).stroke";
    expect(await page.evaluate(stroke)).toBe('rgb(251, 146, 60)');
    await shot(page, 'dashboard-dark');
  });
});
