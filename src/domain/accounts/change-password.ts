import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { revokeOtherSessions } from '../../infra/db/repos/sessions.js';
import { findUserById, setPasswordHash } from '../../infra/db/repos/users.js';
import { AppError, badRequest } from '../errors.js';
import type { Limits } from '../limits.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { PASSWORD_CHANGE_LIMIT } from './rate-limit.js';
import type { Sessions } from './sessions.js';
import type { AuthContext, RequestMeta } from './types.js';

/**
 * Changes the password and revokes every other session of the user; the caller's own session stays. A wrong
 * current password is a 400 on `currentPassword` (the session itself is valid, so 401 would wrongly tell the
 * client to sign in again), and it spends a per-user budget: a stolen session cannot guess freely.
 */
export async function changePassword(
  deps: Deps,
  sessions: Sessions,
  limits: Limits,
  auth: AuthContext,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const budget = `password:${auth.user.id}`;
  await limits.check(budget, PASSWORD_CHANGE_LIMIT, 'Too many wrong current passwords; try again later');
  const user = await findUserById(deps.database.db, auth.user.id);
  if (!user) throw new AppError('unauthorized', 'Sign in to continue');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await limits.record(budget, PASSWORD_CHANGE_LIMIT);
    throw badRequest('currentPassword', 'the current password is incorrect', 'incorrect');
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = deps.clock();
  const revoked = await deps.database.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash, now);
    const hashes = await revokeOtherSessions(tx, user.id, auth.sessionId, now);
    await insertAudit(tx, {
      actorUserId: user.id,
      action: 'user.password_change',
      targetType: 'user',
      targetId: user.id,
      details: { sessionsRevoked: hashes.length },
      ip: meta.ip,
    });
    return hashes;
  });
  // Awaited: the other sessions must fail on their very next request, on every instance.
  await sessions.forget(revoked);
}
