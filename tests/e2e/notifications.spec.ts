import { expect, type Page, test } from '@playwright/test';
import { decodeHeader, parseMime } from '../helpers/mime.js';
import { fill, loginInUi, registerInUi, SCREENSHOTS, STRINGS, shot, syncNow, uniqueEmail, url } from './support/app.js';
import { ADMIN, env, PASSWORD } from './support/env.js';

/**
 * Issue 14 in the browser: a user sets up notifications (a webhook, a DingTalk robot, the language), a key crosses
 * its daily limit in CRS, and the portal e-mails them — received by a real SMTP server (tests/e2e/global-setup.ts)
 * and rendered by Chromium for the screenshots, in English and then in Chinese.
 */
const en = STRINGS.en;
const zh = STRINGS['zh-CN'];

async function control(path: string, body: unknown): Promise<Response> {
  return fetch(`${env('E2E_CONTROL_URL')}${path}`, { method: 'POST', body: JSON.stringify(body) });
}

/** The mails received for `to`, parsed; polls (running syncs) until `ready` holds. */
async function mailsUntil(to: string, ready: (subjects: string[]) => boolean) {
  let parsed: ReturnType<typeof parseMime>[] = [];
  await expect
    .poll(
      async () => {
        await syncNow();
        const raw = (await (await control('/mails', { to })).json()) as string[];
        parsed = raw.map(parseMime);
        return ready(parsed.map((m) => decodeHeader(m.headers.get('subject'))));
      },
      { timeout: 60_000, intervals: [1000, 2000] },
    )
    .toBe(true);
  return parsed;
}

/** The HTML part of a mail, as the recipient's client would show it. */
async function renderMail(page: Page, mail: ReturnType<typeof parseMime>, name: string) {
  const html = mail.parts.find((p) => (p.headers.get('content-type') ?? '').startsWith('text/html'));
  expect(html).toBeDefined();
  await page.setViewportSize({ width: 720, height: 900 });
  await page.setContent(html?.body ?? '', { waitUntil: 'load' });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

test('notification settings, and the e-mails a limit crossing sends, in English and Chinese', async ({ page }) => {
  const email = uniqueEmail('notify');
  await page.goto(url('/register'));
  await registerInUi(page, en, email, PASSWORD, 'Notify user');
  await expect(page).not.toHaveURL(/register/);

  const created = await page.request.post(url('/api/keys'), {
    data: { name: 'team-backend', limits: { dailyCostLimit: 10 } },
  });
  expect(created.status()).toBe(201);
  const keyId: string = (await created.json()).key.id;

  await page.goto(url('/settings#notifications'));
  const section = page.locator('#notifications');
  await expect(section.getByText(en['notify.accountEmail'], { exact: true })).toBeVisible();
  await expect(section.getByText(email)).toBeVisible();

  // A signed webhook (the control server stands in for the receiver), then a DingTalk robot by its URL.
  await section.getByText(en['notify.add']).click();
  await section.getByLabel(en['notify.label']).fill('Ops webhook');
  await section.getByLabel(en['notify.url']).fill(`${env('E2E_CONTROL_URL')}/hook`);
  await section.getByRole('button', { name: en['notify.create'] }).click();
  await expect(section.getByText(en['notify.secretOnce'])).toBeVisible();
  await section.getByLabel(en['notify.type']).selectOption('dingtalk');
  await section.getByLabel(en['notify.label']).fill('On-call robot');
  await section
    .getByLabel(en['notify.robotUrl'])
    .fill(`https://oapi.dingtalk.com/robot/send?access_token=${'ab12'.repeat(16)}`);
  await section
    .getByRole('group', { name: fill(en['notify.eventsOf'], { name: en['notify.type.dingtalk'] }) })
    .getByLabel(en['notify.category.usage'])
    .uncheck();
  await section.getByRole('button', { name: en['notify.create'] }).click();
  await expect(section.locator('.channel-item')).toHaveCount(3);

  const webhook = section.locator('.channel-item', { hasText: 'Ops webhook' });
  await webhook.getByRole('button', { name: en['notify.test'] }).click();
  await expect(page.getByText(en['notify.testOk'])).toBeVisible();

  // 96 % of the daily limit: one e-mail (and one webhook call), about the 95 % threshold.
  expect((await control('/spend', { keyId, usd: 9.6 })).status).toBe(204);
  const first = await mailsUntil(email, (s) => s.some((x) => x.includes('95% of its daily cost limit')));
  await page.reload();
  await expect(section.locator('tbody tr').first()).toBeVisible();
  await shot(page, 'notifications-settings');

  // Usable at 375 px: nothing wider than the screen.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(section.locator('.channel-item')).toHaveCount(3);
  expect(await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).toBeLessThanOrEqual(
    0,
  );
  await shot(page, 'notifications-settings-375');

  // Chinese: the interface, then the language of notifications; the 100 % crossing arrives in Chinese.
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.locator('#settings-lang').selectOption('zh-CN');
  await section.getByLabel(zh['notify.language']).selectOption('zh-CN');
  await expect(page.getByText(zh['notify.saved'])).toBeVisible();
  expect((await control('/spend', { keyId, usd: 0.5 })).status).toBe(204);
  const all = await mailsUntil(email, (s) => s.some((x) => x.includes('已达到每日费用上限')));
  await page.reload();
  await shot(page, 'notifications-settings-zh-CN');

  const subject = (m: ReturnType<typeof parseMime>) => decodeHeader(m.headers.get('subject'));
  const enMail = first.find((m) => subject(m).includes('daily cost limit'));
  const zhMail = all.find((m) => subject(m).includes('每日费用上限'));
  expect(enMail && zhMail).toBeTruthy();
  if (enMail) await renderMail(page, enMail, 'mail-en');
  if (zhMail) await renderMail(page, zhMail, 'mail-zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('the admin’s notification defaults and everyone’s delivery log', async ({ page }) => {
  await page.goto(url('/login'));
  await loginInUi(page, en, ADMIN.email, ADMIN.password);
  await expect(page).not.toHaveURL(/login/);
  // The admin's own e-mail channel, verified with a test message: the log has at least that row.
  const settings = await (await page.request.get(url('/api/notifications/settings'))).json();
  const mine = settings.channels.find((c: { type: string }) => c.type === 'email');
  const tested = await page.request.post(url(`/api/notifications/channels/${mine.id}/test`));
  expect(await tested.json()).toMatchObject({ ok: true });
  await page.goto(url('/admin/notifications'));
  await expect(page.getByRole('heading', { name: en['notify.adminDefaults'] })).toBeVisible();
  const admins = page.getByRole('group', { name: en['notify.adminEmailEvents'] });
  await expect(admins.getByLabel(en['notify.category.system'])).toBeChecked();
  await page.getByLabel(en['notify.defaultDigestHour']).selectOption('8');
  await page.getByRole('button', { name: en['notify.save'] }).click();
  await expect(page.getByText(en['notify.saved'])).toBeVisible();
  // Everyone's deliveries, with their recipient.
  await expect(page.getByRole('columnheader', { name: en['notify.col.recipient'] })).toBeVisible();
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await shot(page, 'notifications-admin');
});
