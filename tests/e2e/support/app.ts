import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import { en } from '../../../web/src/i18n/en.js';
import { zhCN } from '../../../web/src/i18n/zh-CN.js';
import { ADMIN, env } from './env.js';

export type Locale = 'en' | 'zh-CN';
export type Strings = Record<keyof typeof en, string>;

/** The UI's own dictionaries: a journey finds controls by the words a person reads in that language. */
export const STRINGS: Record<Locale, Strings> = { en, 'zh-CN': zhCN };

export function fill(text: string, vars: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export const url = (p: string) => `${env('E2E_BASE_URL')}${p}`;

export const SCREENSHOTS = path.resolve(import.meta.dirname, '../screenshots');

export async function shot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // Charts and skeletons settle before the picture is taken.
  await page.waitForLoadState('networkidle');
  await expect(page.locator('.skeleton')).toHaveCount(0);
  await expect(page.locator('.toast')).toHaveCount(0, { timeout: 8000 });
  await page.screenshot({ path: file, fullPage, animations: 'disabled' });
  return file;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@e2e.test`;
}

/** Seeds N days of CRS history for a portal key (the control server maps the portal id to CRS's). */
export async function seedHistory(keyId: string, days: number, requestsPerDay: number, seed: number): Promise<void> {
  const res = await fetch(`${env('E2E_CONTROL_URL')}/seed`, {
    method: 'POST',
    body: JSON.stringify({ keyId, days, requestsPerDay, seed }),
  });
  if (res.status !== 204) throw new Error(`seed failed: ${await res.text()}`);
}

export async function setCrsDown(down: boolean): Promise<void> {
  const res = await fetch(`${env('E2E_CONTROL_URL')}/crs`, { method: 'POST', body: JSON.stringify({ down }) });
  if (res.status !== 204) throw new Error(`control failed: ${await res.text()}`);
}

export const RELAY_MESSAGES = [{ role: 'user', content: 'Hello from the e2e journey' }];
/** The emulator's deterministic usage per relayed request: ceil(bytes(JSON(messages)) / 4) in + max_tokens out. */
export const RELAY_TOKENS = Math.ceil(Buffer.byteLength(JSON.stringify(RELAY_MESSAGES), 'utf8') / 4) + 100;

/** A real Claude Code style request through the CRS relay with a key's secret; returns the HTTP status. */
export async function relay(secret: string, model = 'claude-sonnet-4-20250514'): Promise<number> {
  const res = await fetch(`${env('E2E_CRS_URL')}/api/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret },
    body: JSON.stringify({ model, max_tokens: 100, messages: RELAY_MESSAGES }),
  });
  await res.arrayBuffer();
  return res.status;
}

let adminToken: string | undefined;

/** The operator's bearer token, as a script would use it. */
export async function adminBearer(): Promise<string> {
  if (adminToken) return adminToken;
  const res = await fetch(url('/api/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status}`);
  adminToken = ((await res.json()) as { token: string }).token;
  return adminToken;
}

/** Runs a sync now (as the operator) instead of waiting for the 5 s interval. */
export async function syncNow(): Promise<void> {
  const res = await fetch(url('/api/admin/sync'), {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminBearer()}` },
  });
  expect(res.status).toBe(202);
}

export interface UsageTotals {
  requests: number;
  tokens: number;
  cost: number;
}

/** Polls the signed-in user's usage (the page's own cookie) until `ready` says the sync has caught up. */
export async function waitForUsage(
  request: APIRequestContext,
  query: string,
  ready: (u: { totals: UsageTotals; perKey: { keyId: string; tokens: number }[] }) => boolean,
): Promise<{ totals: UsageTotals; perKey: { keyId: string; name: string; requests: number; tokens: number }[] }> {
  const deadline = Date.now() + 45_000;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await request.get(url(`/api/stats/usage?${query}`));
    if (res.ok()) {
      last = await res.json();
      if (ready(last as never)) return last as never;
    }
    await syncNow();
    await new Promise((r) => setTimeout(r, 1500));
  }
  throw new Error(`usage did not arrive: ${JSON.stringify(last)}`);
}

export async function registerInUi(page: Page, t: Strings, email: string, password: string, name: string) {
  await page.getByLabel(t['auth.email']).fill(email);
  await page.getByLabel(t['auth.password'], { exact: true }).fill(password);
  await page.getByLabel(new RegExp(t['auth.displayName'])).fill(name);
  await page.getByRole('button', { name: t['auth.register.submit'] }).click();
}

export async function loginInUi(page: Page, t: Strings, email: string, password: string) {
  await page.getByLabel(t['auth.email']).fill(email);
  await page.getByLabel(t['auth.password'], { exact: true }).fill(password);
  await page.getByRole('button', { name: t['auth.login.submit'], exact: true }).click();
}

/** The portal id of a key, from its row's link (the UI never shows the CRS id, and neither do we need it). */
export async function keyIdOf(page: Page, name: string): Promise<string> {
  const href = await page.getByRole('link', { name, exact: true }).first().getAttribute('href');
  const id = href?.split('/').pop();
  if (!id) throw new Error(`no link for key ${name}`);
  return id;
}
