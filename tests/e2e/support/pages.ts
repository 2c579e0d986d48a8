import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, expect, type Page } from '@playwright/test';
import type { Locale } from './app.js';
import { adminBearer, seedHistory, syncNow, uniqueEmail, url } from './app.js';
import { PASSWORD } from './env.js';

/** Who visits: no one, a plain user with a key that has history, the operator. */
export type Visitor = 'signed-out' | 'user' | 'admin';
export type Theme = 'light' | 'dark';

export interface Account {
  token: string | null;
  /** Values for the route table's `:params` (a page with a parameter nobody gives fails, naming it). */
  params: Record<string, string>;
}

async function json<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url(path), { ...init, headers });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A user with two keys (compare needs two), one of them with ten days of CRS history synced into the portal. */
export async function makeUser(): Promise<Account> {
  const { token } = await json<{ token: string }>('/api/auth/register', {
    method: 'POST',
    body: JSON.stringify({ email: uniqueEmail('pages'), password: PASSWORD, displayName: 'Page visitor' }),
  });
  const create = (name: string) =>
    json<{ key: { id: string } }>('/api/keys', { method: 'POST', token, body: JSON.stringify({ name }) });
  const { key } = await create('Laptop');
  await create('CI runner');
  await seedHistory(key.id, 10, 20, 11);
  await expect
    .poll(
      async () => {
        await syncNow();
        const usage = await json<{ totals: { requests: number } }>('/api/stats/usage?range=30d', { token });
        return usage.totals.requests;
      },
      { timeout: 45_000, intervals: [1000, 2000] },
    )
    .toBeGreaterThan(0);
  return { token, params: { id: key.id } };
}

export async function makeAdmin(): Promise<Account> {
  return { token: await adminBearer(), params: {} };
}

export const signedOut: Account = { token: null, params: {} };

/** The browser as the visitor left it: signed in by cookie, language and theme chosen, before the first load. */
export async function prepare(context: BrowserContext, account: Account, locale: Locale, theme: Theme) {
  if (account.token) {
    await context.addCookies([{ name: 'kp_session', value: account.token, url: url('/') }]);
  }
  // A string: this file is type-checked without the DOM's types.
  await context.addInitScript({
    content: `localStorage.setItem('kp.locale', ${JSON.stringify(locale)});
      localStorage.setItem('kp.theme', ${JSON.stringify(theme)});`,
  });
}

/** `/keys/:id` with the account's values; throws for a parameter it has none for. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => {
    const v = params[name];
    if (!v) throw new Error(`no sample value for :${name} in ${path}: give one in tests/e2e/support/pages.ts`);
    return encodeURIComponent(v);
  });
}

/** Loaded and settled: a heading, no skeleton, no spinner, the network quiet. */
export async function settle(page: Page): Promise<void> {
  await expect(page.locator('h1').first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(page.locator('.skeleton, .boot[aria-busy="true"]')).toHaveCount(0);
}

export interface Findings {
  /** How far the page is wider than the viewport, with the widest culprits. */
  overflow?: string;
  /**
   * Tables that scroll sideways inside the page, hiding columns (and a row's actions) behind the scroll: on a phone
   * a table shows its rows as cards or only the columns that fit (docs/decisions/036). A chart's data table and a
   * command snippet may scroll.
   */
  sideways?: string;
  /** Serious and critical axe violations: rule id → what and where. */
  axe: Record<string, string>;
}

export async function inspect(page: Page): Promise<Findings> {
  const overflow = await page.evaluate(`(() => {
    const vw = window.innerWidth;
    const extra = document.documentElement.scrollWidth - vw;
    if (extra <= 0) return undefined;
    const wide = [...document.querySelectorAll('body *')]
      .map((el) => ({ el, right: Math.round(el.getBoundingClientRect().right) }))
      .filter((x) => x.right > vw + 1 && x.el.getClientRects().length > 0)
      .filter((x) => !x.el.parentElement || x.el.parentElement.getBoundingClientRect().right <= vw + 1)
      .slice(0, 3)
      .map((x) => x.el.tagName.toLowerCase() + (x.el.className && typeof x.el.className === 'string' ? '.' + x.el.className.trim().split(/\\s+/).join('.') : '') + ' to ' + x.right + ' px');
    return extra + ' px too wide: ' + wide.join(', ');
  })()`);
  const sideways = await page.evaluate(`(() => {
    const wide = [...document.querySelectorAll('.table-wrap:not(.snippet-scroll):not(.chart-table-scroll)')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => (el.getAttribute('aria-label') || el.className) + ' ' + el.scrollWidth + ' px in ' + el.clientWidth);
    return wide.length ? wide.join(', ') : undefined;
  })()`);
  const result = await new AxeBuilder({ page }).analyze();
  const axe: Record<string, string> = {};
  for (const v of result.violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    const where = v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join('; ');
    axe[v.id] = `${v.impact}: ${v.help} (${v.nodes.length}× e.g. ${where})`;
  }
  return {
    overflow: (overflow as string | undefined) ?? undefined,
    sideways: (sideways as string | undefined) ?? undefined,
    axe,
  };
}
