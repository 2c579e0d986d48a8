import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { invites, users } from '../../src/infra/db/schema.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectBadRequest, expectError } from '../helpers/security-suite.js';

const invite = await createTestApp({ env: { REGISTRATION: 'invite', ADMIN_EMAIL: 'root@example.com' } });
const closed = await createTestApp({ env: { REGISTRATION: 'closed', ADMIN_EMAIL: 'root@example.com' } });
const PASSWORD = 'a long enough password';

const register = (a: TestApp, payload: Record<string, unknown>) =>
  a.app.inject({ method: 'POST', url: '/api/auth/register', payload: { password: PASSWORD, ...payload } });

async function newInvite(a: TestApp): Promise<string> {
  const code = `inv-${Math.random().toString(36).slice(2)}`;
  await a.deps.database.db.insert(invites).values({ code });
  return code;
}

describe('registration policy: invite', () => {
  it('needs an invite code', async () => {
    expectBadRequest(await register(invite, { email: 'no-code@example.com' }), 'inviteCode');
  });

  it('refuses an unknown code and writes no user', async () => {
    expectBadRequest(await register(invite, { email: 'bad-code@example.com', inviteCode: 'nope' }), 'inviteCode');
    const rows = await invite.deps.database.db.select().from(users).where(eq(users.email, 'bad-code@example.com'));
    expect(rows).toEqual([]);
  });

  it('accepts a valid code once and marks it used by the new user', async () => {
    const code = await newInvite(invite);
    const res = await register(invite, { email: 'invited@example.com', inviteCode: code });
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await invite.deps.database.db.select().from(invites).where(eq(invites.code, code));
    expect(row.usedBy).toBe(res.json().user.id);
    expect(row.usedAt).toBeInstanceOf(Date);

    expectBadRequest(await register(invite, { email: 'second@example.com', inviteCode: code }), 'inviteCode');
  });

  it('consumes nothing when the email is taken', async () => {
    const code = await newInvite(invite);
    expectError(await register(invite, { email: 'invited@example.com', inviteCode: code }), 409, 'conflict');
    const [row] = await invite.deps.database.db.select().from(invites).where(eq(invites.code, code));
    expect(row.usedAt).toBeNull();
  });

  it('lets one of two simultaneous registrations with the same code through', async () => {
    const code = await newInvite(invite);
    const answers = await Promise.all(
      ['race-a@example.com', 'race-b@example.com', 'race-c@example.com'].map((email) =>
        register(invite, { email, inviteCode: code }),
      ),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 400, 400]);
    const winners = await invite.deps.database.db
      .select({ email: users.email })
      .from(users)
      .where(eq(users.email, answers.find((r) => r.statusCode === 201)!.json().user.email));
    expect(winners).toHaveLength(1);
    const raced = await invite.deps.database.db.select({ email: users.email }).from(users);
    expect(raced.filter((u) => u.email.startsWith('race-'))).toHaveLength(1);
  });

  it('asks ADMIN_EMAIL for a code like everyone (the address proves nothing)', async () => {
    expectBadRequest(await register(invite, { email: 'Root@Example.com' }), 'inviteCode');
  });

  it('refuses an expired or revoked code like an unknown one', async () => {
    const expired = await newInvite(invite);
    const revoked = await newInvite(invite);
    const db = invite.deps.database.db;
    await db
      .update(invites)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(invites.code, expired));
    await db.update(invites).set({ revokedAt: new Date() }).where(eq(invites.code, revoked));
    for (const code of [expired, revoked]) {
      expectBadRequest(await register(invite, { email: `late-${code}@example.com`, inviteCode: code }), 'inviteCode');
    }
  });
});

describe('registration policy: closed', () => {
  it('refuses with 403, with or without an invite code', async () => {
    expectError(await register(closed, { email: 'someone@example.com' }), 403, 'forbidden');
    const code = await newInvite(closed);
    expectError(await register(closed, { email: 'someone@example.com', inviteCode: code }), 403, 'forbidden');
    expect(await closed.deps.database.db.$count(users)).toBe(0);
  });

  it('still validates the body first', async () => {
    expectBadRequest(await register(closed, { email: 'not an email' }), 'email');
  });

  it('refuses ADMIN_EMAIL too: a closed portal gets its admin from ADMIN_PASSWORD or the setup token', async () => {
    expectError(await register(closed, { email: 'root@example.com' }), 403, 'forbidden');
  });
});

describe('registration flood', () => {
  it('limits registrations per address (each costs an argon2 hash) with 429 + Retry-After', async () => {
    const t2 = await createTestApp();
    const codes: number[] = [];
    for (let i = 0; i < 51; i++) {
      const res = await t2.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        remoteAddress: '203.0.113.9',
        payload: { email: `flood-${i}@example.com`, password: 'long enough password' },
      });
      codes.push(res.statusCode);
      if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(codes.filter((c) => c === 201)).toHaveLength(50);
    expect(codes.at(-1)).toBe(429);
  });
});
