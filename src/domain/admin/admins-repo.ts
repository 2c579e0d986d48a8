import { and, eq } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { users } from '../../infra/db/schema.js';
import { AppError } from '../errors.js';

/**
 * At least one active admin always (docs/decisions/013): call inside the transaction that would demote or disable
 * `userId`. The active admins' rows are locked first, so two admins demoting each other at the same moment are
 * serialised: the second re-reads the rows after the first commits and finds itself the last one.
 */
export async function refuseLastAdmin(tx: Db, userId: string): Promise<void> {
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.status, 'active')))
    .orderBy(users.id)
    .for('update');
  if (admins.length === 1 && admins[0].id === userId) {
    throw new AppError('conflict', 'This is the last active admin: promote another admin first');
  }
}
