import type { Db } from '../../infra/db/client.js';
import { lockActiveAdmins } from '../../infra/db/repos/users.js';
import { AppError } from '../errors.js';

/**
 * At least one active admin always (docs/decisions/013): called inside the transaction that would demote or
 * disable `userId` (by an admin, or by the single sign-on's admin mapping). The active admins' rows are locked
 * first, so two demotions at the same moment are serialised: the second re-reads the rows after the first commits
 * and finds itself the last one.
 */
export async function refuseLastAdmin(tx: Db, userId: string): Promise<void> {
  const admins = await lockActiveAdmins(tx);
  if (admins.length === 1 && admins[0] === userId) {
    throw new AppError('conflict', 'This is the last active admin: promote another admin first');
  }
}
