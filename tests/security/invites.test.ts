import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { authHeaders, createUser, expectBadRequest, expectError } from '../helpers/security-suite.js';

/* Issue 10, points 6 and 13: invite codes expire, can be listed and revoked, and answers reveal no accounts. */
let offsetMs = 0;
const DAY = 86_400_000;
const t = await createTestApp({ env: { REGISTRATION: 'invite' }, clock: () => new Date(Date.now() + offsetMs) });
const admin = await createUser(t, { role: 'admin' });
const PASSWORD = 'a long enough password';

const mint = async (payload: Record<string, unknown> = {}) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/admin/invites',
    headers: authHeaders(admin),
    payload: { count: 1, ...payload },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { codes: string[]; expiresAt: string };
};
const register = (email: string, inviteCode?: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: PASSWORD, inviteCode } });
const list = async (query = '') =>
  (await t.app.inject({ method: 'GET', url: `/api/admin/invites${query}`, headers: authHeaders(admin) })).json();
const revoke = (code: string) =>
  t.app.inject({ method: 'DELETE', url: `/api/admin/invites/${code}`, headers: authHeaders(admin) });

describe('invite-mode answers do not reveal registered addresses', () => {
  it('a bogus code answers the same for a registered address and a new one', async () => {
    const registered = await createUser(t);
    const known = await register(registered.email, 'bogus-code');
    const unknown = await register('nobody-here@example.com', 'bogus-code');
    for (const res of [known, unknown]) expectBadRequest(res, 'inviteCode');
    expect(known.body.replace(/"requestId":"[^"]+"/, '')).toBe(unknown.body.replace(/"requestId":"[^"]+"/, ''));
  });

  it('a valid code tells its holder an address is taken (409), and is not used up by that', async () => {
    const registered = await createUser(t);
    const { codes } = await mint();
    expectError(await register(registered.email, codes[0]), 409, 'conflict');
    expect((await register('fresh-invitee@example.com', codes[0])).statusCode).toBe(201);
  });
});

describe('invite codes', () => {
  it('expire after INVITE_TTL_DAYS (7 by default) or the days asked for', async () => {
    const week = await mint();
    const day = await mint({ ttlDays: 1 });
    expect(Date.parse(week.expiresAt) - Date.now() - offsetMs).toBeGreaterThan(7 * DAY - 60_000);
    offsetMs += DAY + 1000;
    expectBadRequest(await register('after-a-day@example.com', day.codes[0]), 'inviteCode');
    offsetMs += 6 * DAY;
    expectBadRequest(await register('after-a-week@example.com', week.codes[0]), 'inviteCode');
  });

  it('are listed with their status, filterable and paged', async () => {
    const [used, revoked, active] = [await mint(), await mint(), await mint()];
    await register(`used-${used.codes[0]}@example.com`, used.codes[0]);
    expect((await revoke(revoked.codes[0])).statusCode).toBe(204);
    const all = await list('?pageSize=100');
    const status = (code: string) => all.items.find((i: { code: string }) => i.code === code)?.status;
    expect([status(used.codes[0]), status(revoked.codes[0]), status(active.codes[0])]).toEqual([
      'used',
      'revoked',
      'active',
    ]);
    expect(all.items.find((i: { code: string }) => i.code === used.codes[0])).toMatchObject({
      createdBy: admin.email,
      usedBy: `used-${used.codes[0]}@example.com`.toLowerCase(),
    });
    expect(all.items.some((i: { status: string }) => i.status === 'expired')).toBe(true);
    const onlyActive = await list('?status=active');
    expect(onlyActive.items.every((i: { status: string }) => i.status === 'active')).toBe(true);
    const page = await list('?pageSize=2&page=1');
    expect(page).toMatchObject({ page: 1, pageSize: 2, total: all.total });
    expect(page.items).toHaveLength(2);
    expectBadRequest(
      await t.app.inject({ method: 'GET', url: '/api/admin/invites?status=lost', headers: authHeaders(admin) }),
      'status',
    );
  });

  it('are revoked: the code stops working; used → 409, unknown → 404, twice → 204', async () => {
    const { codes } = await mint();
    expect((await revoke(codes[0])).statusCode).toBe(204);
    expect((await revoke(codes[0])).statusCode).toBe(204);
    expectBadRequest(await register('too-late@example.com', codes[0]), 'inviteCode');
    const used = await mint();
    await register('took-it@example.com', used.codes[0]);
    expectError(await revoke(used.codes[0]), 409, 'conflict');
    expectError(await revoke('never-issued'), 404, 'not_found');
  });
});
