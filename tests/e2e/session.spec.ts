import { expect, test } from '@playwright/test';
import { fill, loginInUi, registerInUi, STRINGS, uniqueEmail, url } from './support/app.js';
import { PASSWORD } from './support/env.js';

const t = STRINGS.en;

test.describe('sessions and forms', () => {
  test('a session revoked elsewhere sends the person to login, then back to the page', async ({ page }) => {
    const email = uniqueEmail('expiry');
    await page.goto(url('/register'));
    await registerInUi(page, t, email, PASSWORD, 'Expiry');
    await page.getByRole('link', { name: t['nav.settings'] }).click();
    await expect(page.getByText(t['settings.thisDevice'])).toBeVisible();

    // From a script (a second session): revoke the browser's session.
    const login = await fetch(url('/api/auth/login'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'e2e-script' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const { items } = (await (await fetch(url('/api/auth/sessions'), { headers: auth })).json()) as {
      items: { id: string; current: boolean }[];
    };
    const browserSession = items.find((s) => !s.current)!;
    const revoked = await fetch(url(`/api/auth/sessions/${browserSession.id}`), { method: 'DELETE', headers: auth });
    expect(revoked.status).toBe(204);

    await page.getByRole('link', { name: t['nav.compare'] }).click();
    await expect(page).toHaveURL(url('/login?next=%2Fcompare&expired=1'));
    await expect(page.getByText(t['auth.sessionExpired'])).toBeVisible();
    await loginInUi(page, t, email, PASSWORD);
    await expect(page).toHaveURL(url('/compare'));
    await expect(page.getByRole('heading', { name: t['compare.title'] })).toBeVisible();

    // The session list shows both, and revoking the other one works from the page.
    await page.getByRole('link', { name: t['nav.settings'] }).click();
    const other = page
      .getByRole('row')
      .filter({ hasNotText: t['settings.thisDevice'] })
      .filter({ hasText: 'e2e-script' });
    await other.getByRole('button', { name: t['settings.revoke'] }).click();
    await expect(page.getByText(t['settings.revoked'])).toBeVisible();
    expect((await fetch(url('/api/auth/me'), { headers: auth })).status).toBe(401);
  });

  test('field errors from the API appear beside their fields', async ({ page }) => {
    await page.goto(url('/register'));
    await page.getByLabel(t['auth.email']).fill('not-an-email');
    await page.getByLabel(t['auth.password'], { exact: true }).fill('short');
    await page.getByRole('button', { name: t['auth.register.submit'] }).click();
    const email = page.getByLabel(t['auth.email']);
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('must be an email address')).toBeVisible();

    await email.fill(uniqueEmail('fields'));
    await page.getByRole('button', { name: t['auth.register.submit'] }).click();
    await expect(page.getByLabel(t['auth.password'], { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('must be at least 10 characters')).toBeVisible();
  });

  test('a wrong password is refused in words, without saying which part was wrong', async ({ page }) => {
    await page.goto(url('/login'));
    await loginInUi(page, t, uniqueEmail('nobody'), 'wrong-password-123');
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(page).toHaveURL(url('/login'));
  });

  test('the chosen language is remembered across reloads', async ({ page }) => {
    await page.goto(url('/login'));
    await expect(page.getByRole('heading', { name: t['auth.login.title'] })).toBeVisible();
    await page.getByLabel(t['lang.label']).selectOption('zh-CN');
    const zh = STRINGS['zh-CN'];
    await expect(page.getByRole('heading', { name: zh['auth.login.title'] })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: zh['auth.login.title'] })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    expect(fill(zh['toast.deleted'], { name: 'x' })).toBe('密钥“x”已删除');
  });
});
