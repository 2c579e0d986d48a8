import type { Deps } from '../../deps.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import { audit } from '../audit.js';
import { AppError, badRequest } from '../errors.js';
import { hashPassword } from './passwords.js';
import type { Sessions } from './sessions.js';
import type { RegisterInput, RequestMeta, SignedIn } from './types.js';
import { consumeInvite, hasAnyUser, insertUser, lockRegistrations } from './users-repo.js';
import { toPublicUser } from './view.js';

/**
 * Creates the account and its first session. The user row, the invite it consumes and the audit row commit
 * together or not at all; the session is created after the commit (a failure there leaves a valid account the
 * person can sign in to, never a half-written one).
 */
export async function register(
  deps: Deps,
  sessions: Sessions,
  input: RegisterInput,
  meta: RequestMeta,
): Promise<SignedIn> {
  // The operator's ADMIN_EMAIL may always register: otherwise a portal started as `closed` or `invite` would
  // have no admin to open it or to issue the first invite.
  const policy = input.email === deps.config.adminEmail ? 'open' : deps.config.registration;
  if (policy === 'closed') throw new AppError('forbidden', 'Registration is closed on this portal');
  if (policy === 'invite' && !input.inviteCode) throw badRequest('inviteCode', 'an invite code is required');

  const passwordHash = await hashPassword(input.password);
  const displayName = input.displayName || input.email.slice(0, input.email.lastIndexOf('@')).slice(0, 100);
  const now = deps.clock();

  let row: Awaited<ReturnType<typeof insertUser>>;
  try {
    row = await deps.database.db.transaction(async (tx) => {
      await lockRegistrations(tx);
      const first = !(await hasAnyUser(tx));
      const role = first || input.email === deps.config.adminEmail ? 'admin' : 'user';
      const user = await insertUser(tx, { email: input.email, passwordHash, displayName, role, now });
      if (policy === 'invite' && !(await consumeInvite(tx, input.inviteCode!, user.id, now))) {
        throw badRequest('inviteCode', 'unknown or already used invite code');
      }
      await audit(tx, {
        actorUserId: user.id,
        action: 'user.register',
        targetType: 'user',
        targetId: user.id,
        details: { role, policy, ...(policy === 'invite' ? { invite: true } : {}) },
        ip: meta.ip,
      });
      return user;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('conflict', 'This email is already registered');
    throw e;
  }
  return sessions.create(toPublicUser(row), meta);
}
