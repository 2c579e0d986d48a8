import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { authHeaders, createUser, type TestUser } from '../helpers/security-suite.js';

/* Issue 10, point 14: at least one active admin always, even when two admins act at the same moment. */
const t = await createTestApp();
const patch = (actor: TestUser, target: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: `/api/admin/users/${target.id}`, headers: authHeaders(actor), payload });
const activeAdmins = async () =>
  t.deps.database.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active')));

describe('the last active admin', () => {
  it.each([
    ['demote', { role: 'user' }],
    ['disable', { status: 'disabled' }],
  ])('two admins who %s each other at once: one wins, one gets 409, one admin remains', async (_what, change) => {
    let survivor = await createUser(t, { role: 'admin' });
    // Several rounds: each race starts from exactly two active admins.
    for (let round = 0; round < 4; round++) {
      for (const a of await activeAdmins()) {
        if (a.id !== survivor.id)
          await t.deps.database.db.update(users).set({ role: 'user' }).where(eq(users.id, a.id));
      }
      const other = await createUser(t, { role: 'admin' });
      const [ab, ba] = await Promise.all([patch(survivor, other, change), patch(other, survivor, change)]);
      expect([ab.statusCode, ba.statusCode].sort()).toEqual([200, 409]);
      const left = await activeAdmins();
      expect(left).toHaveLength(1);
      survivor = left[0].id === other.id ? other : survivor;
    }
  });

  it('is refused by the rule itself, not only by “not yourself”, and a refusal changes nothing', async () => {
    const [last] = await activeAdmins();
    const someone = await createUser(t);
    for (const change of [{ role: 'user' as const }, { status: 'disabled' as const }]) {
      await expect(t.app.services.admin.users.update(someone.id, last.id, change)).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/last active admin/),
      });
    }
    expect(await activeAdmins()).toEqual([last]);
  });
});
