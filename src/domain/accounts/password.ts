import type { Deps } from '../../deps.js';
import { audit } from '../audit.js';
import { AppError, badRequest } from '../errors.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { LoginGuard } from './rate-limit.js';
import type { Sessions } from './sessions.js';
import { revokeOtherSessions } from './sessions-repo.js';
import type { AuthContext, RequestMeta } from './types.js';
import { findUserById, setPasswordHash } from './users-repo.js';

/**
 * Changes the password and revokes every other session of the user; the caller's own session stays. A wrong
 * current password is a 400 on `currentPassword` (the session itself is valid, so 401 would wrongly tell the
 * client to sign in again), and it spends the account's login budget: a stolen session cannot guess freely.
 */
export async function changePassword(
  deps: Deps,
  sessions: Sessions,
  guard: LoginGuard,
  auth: AuthContext,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const account = auth.user.email;
  await guard.check(account, meta.ip);
  const user = await findUserById(deps.database.db, auth.user.id);
  if (!user) throw new AppError('unauthorized', 'Sign in to continue');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await guard.failed(account, meta.ip);
    throw badRequest('currentPassword', 'the current password is incorrect');
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = deps.clock();
  const revoked = await deps.database.db.transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash, now);
    const hashes = await revokeOtherSessions(tx, user.id, auth.sessionId, now);
    await audit(tx, {
      actorUserId: user.id,
      action: 'user.password_change',
      targetType: 'user',
      targetId: user.id,
      details: { sessionsRevoked: hashes.length },
      ip: meta.ip,
    });
    return hashes;
  });
  await guard.succeeded(account);
  // Awaited: the other sessions must fail on their very next request, on every instance.
  await sessions.forget(revoked);
}
