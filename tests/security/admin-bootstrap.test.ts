import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { bootstrapAdmin } from '../../src/domain/accounts/bootstrap.js';
import { auditLog, users } from '../../src/infra/db/schema.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { authHeaders, createUser, expectBadRequest, expectError } from '../helpers/security-suite.js';

/* Issue 10, point 1: nobody becomes admin by being first or by typing an address. */
const PASSWORD = 'a long enough password';
const register = (a: TestApp, payload: Record<string, unknown>) =>
  a.app.inject({ method: 'POST', url: '/api/auth/register', payload: { password: PASSWORD, ...payload } });
const login = (a: TestApp, email: string, password: string) =>
  a.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
const meta = async (a: TestApp) => (await a.app.inject({ method: 'GET', url: '/api/meta' })).json();
/** The start sequence's bootstrap with other variables, as after a restart with a changed environment. */
const restartWith = (a: TestApp, env: Record<string, string>) =>
  bootstrapAdmin({ ...a.deps, config: { ...a.config, ...pick(loadConfig(env)) } });
const pick = (c: ReturnType<typeof loadConfig>) => ({ adminEmail: c.adminEmail, adminPassword: c.adminPassword });

describe('ADMIN_EMAIL + ADMIN_PASSWORD', () => {
  it('creates that admin at start; the first stranger to register stays a user', async () => {
    const a = await createTestApp({ env: { ADMIN_EMAIL: 'Ops@Example.com', ADMIN_PASSWORD: 'operator password' } });
    await bootstrapAdmin(a.deps);
    const first = await register(a, { email: 'stranger@example.com' });
    expect(first.json().user.role).toBe('user');
    const ops = await login(a, 'ops@example.com', 'operator password');
    expect(ops.statusCode).toBe(200);
    expect(ops.json().user.role).toBe('admin');
    // The stranger cannot touch the designated admin.
    const attempt = await a.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${ops.json().user.id}`,
      headers: authHeaders(first.json()),
      payload: { status: 'disabled' },
    });
    expectError(attempt, 403, 'forbidden');
  });

  it('keeps a password changed in the UI across restarts; a changed variable resets it and ends sessions', async () => {
    const env = { ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'first env password' };
    const a = await createTestApp({ env });
    await bootstrapAdmin(a.deps);
    const session = (await login(a, 'root@example.com', 'first env password')).json();
    const changed = await a.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: authHeaders(session),
      payload: { currentPassword: 'first env password', newPassword: 'changed in the UI' },
    });
    expect(changed.statusCode).toBe(204);

    await restartWith(a, env);
    expect((await login(a, 'root@example.com', 'changed in the UI')).statusCode).toBe(200);

    await restartWith(a, { ...env, ADMIN_PASSWORD: 'rotated env password' });
    expect((await login(a, 'root@example.com', 'rotated env password')).statusCode).toBe(200);
    expectError(await login(a, 'root@example.com', 'changed in the UI'), 401, 'unauthorized');
    expectError(
      await a.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(session) }),
      401,
      'unauthorized',
    );
  });

  it('takes over an account squatting on the address: admin, and only with the configured password', async () => {
    const a = await createTestApp();
    const squatter = await register(a, { email: 'boss@example.com' });
    expect(squatter.json().user.role).toBe('user');
    await restartWith(a, { ADMIN_EMAIL: 'boss@example.com', ADMIN_PASSWORD: 'the real operator' });
    expectError(await login(a, 'boss@example.com', PASSWORD), 401, 'unauthorized');
    expect((await login(a, 'boss@example.com', 'the real operator')).json().user.role).toBe('admin');
    const [row] = await a.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'admin.bootstrap'));
    expect(row.details).toEqual({ created: false, passwordSet: true });
  });

  it('reads ADMIN_PASSWORD_FILE (a Docker or Kubernetes secret)', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kp-secret-')), 'admin_password');
    writeFileSync(file, 'password from a file\n');
    const a = await createTestApp({ env: { ADMIN_EMAIL: 'file@example.com', ADMIN_PASSWORD_FILE: file } });
    await bootstrapAdmin(a.deps);
    expect((await login(a, 'file@example.com', 'password from a file')).json().user.role).toBe('admin');
  });
});

describe('the one-time setup token', () => {
  it('is printed at a start without an admin; the registration presenting it becomes the admin', async () => {
    const a = await createTestApp({ env: { REGISTRATION: 'closed' } });
    expect((await meta(a)).setupRequired).toBe(true);
    const { setupToken } = await bootstrapAdmin(a.deps);
    expect(setupToken).toMatch(/^[\w-]{43}$/);

    expectError(await register(a, { email: 'no-token@example.com' }), 403, 'forbidden');
    expectBadRequest(await register(a, { email: 'guess@example.com', setupToken: 'x'.repeat(43) }), 'setupToken');
    const admin = await register(a, { email: 'owner@example.com', setupToken });
    expect(admin.statusCode, admin.body).toBe(201);
    expect(admin.json().user.role).toBe('admin');
    expect((await meta(a)).setupRequired).toBe(false);

    // Used once: a second registration with it is refused, the same way for a new and a registered address.
    const again = await register(a, { email: 'second@example.com', setupToken });
    const taken = await register(a, { email: 'owner@example.com', setupToken });
    for (const res of [again, taken]) expectBadRequest(res, 'setupToken');
    expect(again.json().error.message).toBe(taken.json().error.message);
    const rows = await a.deps.database.db.select().from(users);
    expect(rows.map((u) => u.role)).toEqual(['admin']);
  });

  it('printed by one instance, works on another; every start’s token works until one is used', async () => {
    const a = await createTestApp();
    const b = await createTestApp({ databaseUrl: a.databaseUrl, emulator: a.emulator });
    const fromA = (await bootstrapAdmin(a.deps)).setupToken;
    const fromB = (await bootstrapAdmin(b.deps)).setupToken;
    expect(fromA).not.toBe(fromB);
    expect((await register(b, { email: 'via-b@example.com', setupToken: fromA })).json().user.role).toBe('admin');
    expectBadRequest(await register(a, { email: 'late@example.com', setupToken: fromB }), 'setupToken');
  });

  it('is not printed when an active admin exists (existing deployments keep their admins)', async () => {
    const a = await createTestApp();
    await createUser(a, { role: 'admin' });
    expect(await bootstrapAdmin(a.deps)).toEqual({});
    expect((await meta(a)).setupRequired).toBe(false);
  });

  it('expires after a day', async () => {
    let offsetMs = 0;
    const a = await createTestApp({ clock: () => new Date(Date.now() + offsetMs) });
    const { setupToken } = await bootstrapAdmin(a.deps);
    offsetMs += 24 * 3_600_000 + 1000;
    expectBadRequest(await register(a, { email: 'late@example.com', setupToken }), 'setupToken');
  });
});
