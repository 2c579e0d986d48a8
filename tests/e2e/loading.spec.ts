import { expect, type Request, test } from '@playwright/test';
import { STRINGS, url } from './support/app.js';
import { makeUser, prepare } from './support/pages.js';

/*
 * Issue 15, points 1 and 5: how the app loads, as a browser sees it — the rules the web bench (bench/web.ts) times.
 */
test.describe('loading', () => {
  test('a signed-out visit: no error in the console, no 401, no favicon request (it is inline), no chart code', async ({
    page,
    context,
  }) => {
    // Over the network: the icon is a data: URL in index.html (a file was asked for again after the redirect).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const fetchedFavicons: string[] = [];
    cdp.on('Network.responseReceived', (e) => {
      if (e.response.url.includes('favicon') && !e.response.fromDiskCache) fetchedFavicons.push(e.response.url);
    });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    const statuses: number[] = [];
    const scripts: string[] = [];
    page.on('response', (r) => {
      statuses.push(r.status());
      if (r.request().resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(url('/keys'));
    await expect(page).toHaveURL(url('/login?next=%2Fkeys'));
    await expect(page.getByRole('heading', { name: STRINGS.en['auth.login.title'] })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    expect(statuses.filter((s) => s >= 400)).toEqual([]);
    expect(fetchedFavicons).toEqual([]);
    for (const s of scripts) expect(await (await fetch(s)).text(), s).not.toContain('recharts-surface');
  });

  test('the app’s files come precompressed (brotli for a browser, gzip otherwise)', async ({ request }) => {
    const html = await (await request.get(url('/login'), { headers: { accept: 'text/html' } })).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    for (const [accept, expected] of [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip', 'gzip'],
    ] as const) {
      const res = await fetch(url(script!), { headers: { 'accept-encoding': accept } });
      expect(res.headers.get('content-encoding')).toBe(expected);
      expect(res.headers.get('vary')).toContain('accept-encoding');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
  });

  test('a returning browser asks for its page’s data without waiting for the session answer', async ({
    page,
    context,
  }) => {
    const account = await makeUser();
    await prepare(context, account, 'en', 'light');
    // Remembered from the last visit, as after any sign-in in this browser.
    const res = await fetch(url('/api/auth/me'), { headers: { authorization: `Bearer ${account.token}` } });
    const me = (await res.json()) as { user: unknown };
    await context.addInitScript({
      content: `localStorage.setItem('kp.session', ${JSON.stringify(JSON.stringify(me.user))});`,
    });
    // The session answer is held back: the dashboard's request must go out while it is still pending.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/api/auth/session', async (route) => {
      await held;
      await route.continue();
    });
    const usage = page.waitForRequest((r: Request) => r.url().includes('/api/stats/usage'));
    await page.goto(url('/'));
    await usage;
    release();
    await expect(page.getByRole('heading', { name: STRINGS.en['dash.title'] })).toBeVisible();
    await expect(page).toHaveTitle(`${STRINGS.en['dash.title']} · ${STRINGS.en['app.name']}`);
  });

  test('validation errors are worded in the reader’s language, naming the field', async ({ page, context }) => {
    const zh = STRINGS['zh-CN'];
    await context.addInitScript({ content: "localStorage.setItem('kp.locale', 'zh-CN');" });
    await page.goto(url('/register'));
    await page.getByLabel(zh['auth.email']).fill('not-an-email');
    await page.getByLabel(zh['auth.password'], { exact: true }).fill('short');
    await page.getByRole('button', { name: zh['auth.register.submit'] }).click();
    await expect(page.getByLabel(zh['auth.email'])).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText(zh['issue.format.email'])).toBeVisible();
    await expect(page.getByText('must be an email address')).toHaveCount(0);
    await expect(page).toHaveTitle(`${zh['auth.register.title']} · ${zh['app.name']}`);
  });
});
