import { expect, type Page, test } from '@playwright/test';
import { generate } from 'otplib';
import { adminBearer, loginInUi, registerInUi, STRINGS, shot, uniqueEmail, url } from './support/app.js';
import { env, PASSWORD } from './support/env.js';

/*
 * Journeys of issue 17 and 13.6 against the real portal and a real OpenID Provider (tests/support/oidc-provider.ts,
 * started by the global setup): SSO sign-up, SSO login, linking, TOTP enrolment, login with TOTP and with a
 * recovery code, an admin required to enrol, personal access tokens. TOTP codes are computed here from the secret
 * the page shows, as an authenticator app would.
 */
const t = STRINGS.en;
const code = (secret: string, offsetSeconds = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

async function providerAccount(sub: string, claims: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${env('E2E_CONTROL_URL')}/oidc-account`, {
    method: 'POST',
    body: JSON.stringify({ sub, claims }),
  });
  expect(res.status).toBe(204);
}

/** At the provider's login form: sign in as `sub` (the form lists the accounts the test added). */
async function signInAtProvider(page: Page, sub: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
  await page.getByLabel('Account').fill(sub);
  await page.getByRole('button', { name: 'Sign in at the provider' }).click();
}

/** Signed out of the portal and of the provider (its own session would sign the next attempt in silently). */
async function logout(page: Page): Promise<void> {
  await page.context().clearCookies();
  await page.goto(url('/login'));
}

/** Enrols TOTP from settings; answers the secret and the recovery codes the page showed. */
async function enrolInUi(page: Page, screenshot?: string): Promise<{ secret: string; codes: string[] }> {
  await page.getByRole('button', { name: t['mfa.enable'] }).click();
  await expect(page.getByRole('img', { name: t['mfa.qrAlt'] })).toBeVisible();
  const secret = await page.getByLabel(t['mfa.secret']).inputValue();
  if (screenshot) await shot(page, screenshot);
  await page.getByLabel(t['mfa.confirmCode']).fill(await code(secret));
  await page.getByRole('button', { name: t['mfa.confirm'] }).click();
  const dialog = page.getByRole('dialog', { name: t['mfa.codesTitle'] });
  await expect(dialog).toBeVisible();
  const codes = (await dialog.getByRole('listitem').allTextContents()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await dialog.getByRole('button', { name: t['mfa.codesDone'] }).click();
  return { secret, codes };
}

test.describe('single sign-on', () => {
  test('SSO sign-up, then SSO login again', async ({ page }) => {
    const sub = `sso-${Date.now().toString(36)}`;
    await providerAccount(sub, { email: `${sub}@corp.example`, email_verified: true, name: 'Sam Sso' });
    await page.goto(url('/login'));
    const button = page.getByRole('link', { name: 'Sign in with Test IdP' });
    await expect(button).toBeVisible();
    await shot(page, 'login-sso');
    await button.click();
    await signInAtProvider(page, sub);
    await expect(page).toHaveURL(url('/'));
    await expect(page.getByRole('link', { name: t['nav.settings'] })).toBeVisible();

    await logout(page);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await signInAtProvider(page, sub);
    await expect(page).toHaveURL(url('/'));
    await page.getByRole('link', { name: t['nav.settings'] }).click();
    await expect(page.getByText(`${t['method.sso']}`).first()).toBeVisible();
  });

  test('linking: an existing local account proves its password once', async ({ page }) => {
    const email = uniqueEmail('link');
    await page.goto(url('/register'));
    await registerInUi(page, t, email, PASSWORD, 'Linda Local');
    await expect(page.getByRole('link', { name: t['nav.settings'] })).toBeVisible();
    await logout(page);
    const sub = `link-${Date.now().toString(36)}`;
    await providerAccount(sub, { email, email_verified: true });
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await signInAtProvider(page, sub);
    await expect(page).toHaveURL(/\/sso\?next=/);
    await expect(page.getByText(email)).toBeVisible();
    await page.getByLabel(t['auth.password']).fill(PASSWORD);
    await page.getByRole('button', { name: t['sso.link.submit'] }).click();
    await expect(page).toHaveURL(url('/'));
    // Linked: the provider alone signs in from now on.
    await logout(page);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await signInAtProvider(page, sub);
    await expect(page).toHaveURL(url('/'));
  });

  test('a refused provider answer says why on the login page', async ({ page }) => {
    await page.goto(url('/login?sso_error=domain'));
    await expect(page.getByRole('alert')).toHaveText(t['auth.sso.error.domain']);
  });
});

test.describe('two-factor authentication', () => {
  test('enrolment, login with TOTP, login with a recovery code', async ({ page }) => {
    const email = uniqueEmail('totp');
    await page.goto(url('/register'));
    await registerInUi(page, t, email, PASSWORD, 'Tove Totp');
    await page.getByRole('link', { name: t['nav.settings'] }).click();
    const { secret, codes } = await enrolInUi(page, 'mfa-enrol');
    await expect(page.getByText(t['mfa.codesLeft'].replace('{count}', '10'), { exact: false })).toBeVisible();

    await logout(page);
    await loginInUi(page, t, email, PASSWORD);
    await expect(page.getByRole('heading', { name: t['auth.mfa.title'] })).toBeVisible();
    await shot(page, 'login-totp');
    // The code of the next step: the enrolment used the current one, and a used step never works twice.
    await page.getByLabel(t['auth.mfa.code']).fill(await code(secret, 30));
    await page.getByRole('button', { name: t['auth.mfa.submit'] }).click();
    await expect(page).toHaveURL(url('/'));

    await logout(page);
    await loginInUi(page, t, email, PASSWORD);
    await page.getByRole('button', { name: t['auth.mfa.useRecovery'] }).click();
    await page.getByLabel(t['auth.mfa.recovery']).fill(codes[0]);
    await page.getByRole('button', { name: t['auth.mfa.submit'] }).click();
    await expect(page).toHaveURL(url('/'));
    await page.getByRole('link', { name: t['nav.settings'] }).click();
    await expect(page.getByText(t['mfa.codesLeft'].replace('{count}', '9'), { exact: false })).toBeVisible();
  });

  test('an admin required to enrol can only set it up, then uses the portal', async ({ page }) => {
    const operator = { authorization: `Bearer ${await adminBearer()}` };
    // A second admin sets the policy, enrolled first, so the operator's own script keeps working afterwards.
    const boss = uniqueEmail('boss');
    const reg = await fetch(url('/api/auth/register'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: boss, password: PASSWORD }),
    });
    const { user, token } = (await reg.json()) as { user: { id: string }; token: string };
    await fetch(url(`/api/admin/users/${user.id}`), {
      method: 'PATCH',
      headers: { ...operator, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'admin' }),
    });
    const bossAuth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // No body, so no content-type: Fastify refuses an empty JSON body.
    const setupRes = await fetch(url('/api/auth/mfa/totp/setup'), {
      method: 'POST',
      headers: { authorization: bossAuth.authorization },
    });
    const setup = (await setupRes.json()) as { secret: string };
    expect(setupRes.status, JSON.stringify(setup)).toBe(200);
    const confirmed = await fetch(url('/api/auth/mfa/totp/confirm'), {
      method: 'POST',
      headers: bossAuth,
      body: JSON.stringify({ code: await code(setup.secret) }),
    });
    expect(confirmed.status).toBe(200);
    const policy = (value: string) =>
      fetch(url('/api/admin/settings/mfa'), {
        method: 'PATCH',
        headers: bossAuth,
        body: JSON.stringify({ mfaRequired: value }),
      });
    expect((await policy('admins')).status).toBe(200);
    try {
      const email = uniqueEmail('newadmin');
      await page.goto(url('/register'));
      await registerInUi(page, t, email, PASSWORD, 'New Admin');
      await expect(page.getByRole('link', { name: t['nav.settings'] })).toBeVisible();
      const me = (await (await page.request.get(url('/api/auth/me'))).json()) as { user: { id: string } };
      await fetch(url(`/api/admin/users/${me.user.id}`), {
        method: 'PATCH',
        headers: bossAuth,
        body: JSON.stringify({ role: 'admin' }),
      });
      await logout(page);
      await loginInUi(page, t, email, PASSWORD);
      await expect(page).toHaveURL(url('/two-factor?required=1'));
      await expect(page.getByText(t['mfa.required'])).toBeVisible();
      await shot(page, 'mfa-required');
      await enrolInUi(page);
      await page.getByRole('link', { name: t['nav.keys'] }).click();
      await expect(page.getByRole('heading', { name: t['keys.title'] })).toBeVisible();
    } finally {
      expect((await policy('off')).status).toBe(200);
    }
  });
});

test.describe('personal access tokens', () => {
  test('create a token (shown once, with a copy button), use it from a script, revoke it', async ({ page }) => {
    const email = uniqueEmail('tokens');
    await page.goto(url('/register'));
    await registerInUi(page, t, email, PASSWORD, 'Toki Token');
    await page.getByRole('link', { name: t['nav.settings'] }).click();
    await page.getByLabel(t['tokens.name']).fill('status bar');
    await page.getByRole('button', { name: t['tokens.create'] }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByText(t['tokens.createdWarning'])).toBeVisible();
    await expect(dialog.getByRole('button', { name: t['common.copy'] })).toBeVisible();
    const token = await dialog.getByRole('textbox').inputValue();
    expect(token).toMatch(/^kpt_/);
    await shot(page, 'tokens', false);
    await dialog.getByRole('button', { name: t['common.close'] }).click();

    const summary = await fetch(url('/api/me/summary'), { headers: { authorization: `Bearer ${token}` } });
    expect(summary.status).toBe(200);
    const create = await fetch(url('/api/keys'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'from-token' }),
    });
    expect(create.status).toBe(403);

    await page.reload();
    const row = page.getByRole('row').filter({ hasText: 'status bar' });
    await expect(row).toBeVisible();
    await row.getByRole('button', { name: t['tokens.revoke'] }).click();
    await expect(page.getByText(t['tokens.revoked'])).toBeVisible();
    expect((await fetch(url('/api/me/summary'), { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});

test.describe('at 375 px', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test('the login page with SSO and the settings’ 2FA and token cards fit a phone, in zh-CN too', async ({ page }) => {
    const fits = async () =>
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.goto(url('/login'));
    await expect(page.getByRole('link', { name: 'Sign in with Test IdP' })).toBeVisible();
    await fits();
    const email = uniqueEmail('phone');
    await page.goto(url('/register'));
    await registerInUi(page, t, email, PASSWORD, 'Pho Ne');
    await expect(page.getByRole('button', { name: t['nav.menu'] })).toBeVisible();
    await page.goto(url('/settings'));
    await page.getByRole('button', { name: t['mfa.enable'] }).click();
    await expect(page.getByRole('img', { name: t['mfa.qrAlt'] })).toBeVisible();
    await fits();
    await page.locator('#settings-lang').selectOption('zh-CN');
    const zh = STRINGS['zh-CN'];
    await expect(page.getByRole('heading', { name: zh['tokens.title'] })).toBeVisible();
    await fits();
    await shot(page, 'settings-375-zh-CN');
  });
});
