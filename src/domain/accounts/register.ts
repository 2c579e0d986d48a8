import type { Deps } from '../../deps.js';
import { isUniqueViolation } from '../../infra/db/errors.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { lockUsableInvite, markInviteUsed } from '../../infra/db/repos/invites.js';
import { deleteSetupTokens, takeSetupToken } from '../../infra/db/repos/settings.js';
import { insertUser, lockRegistrations, type UserRow } from '../../infra/db/repos/users.js';
import { AppError, badRequest } from '../errors.js';
import { hashPassword } from './password-hash.js';
import type { Sessions } from './sessions.js';
import { hashToken } from './tokens.js';
import type { RegisterInput, RequestMeta, SignedIn } from './types.js';
import { toPublicUser } from './view.js';

const BAD_INVITE = 'unknown, expired or already used invite code';

/**
 * Creates the account and its first session. The user row, the invite or setup token it uses and the audit row
 * commit together or not at all; the session is created after the commit (a failure there leaves a valid account
 * the person can sign in to, never a half-written one).
 *
 * Nobody becomes admin by being first or by their address: only a live setup token (printed at a start that found
 * no admin, docs/decisions/013) makes the registration an admin's, whatever the policy. A bad code or token is
 * judged before the e-mail address, so it answers the same for a registered address and a new one.
 */
export async function register(
  deps: Deps,
  sessions: Sessions,
  input: RegisterInput,
  meta: RequestMeta,
): Promise<SignedIn> {
  const setup = input.setupToken !== undefined;
  const policy = setup ? 'open' : deps.config.registration;
  if (policy === 'closed') throw new AppError('forbidden', 'Registration is closed on this portal');
  // "SSO only" (docs/decisions/028): accounts come from the provider; the setup token still makes the first admin.
  if (deps.config.oidc?.ssoOnly && !setup) {
    throw new AppError('forbidden', 'This portal signs up through single sign-on only');
  }
  if (policy === 'invite' && !input.inviteCode) {
    throw badRequest('inviteCode', 'an invite code is required', 'required');
  }

  const passwordHash = await hashPassword(input.password);
  const displayName = input.displayName || input.email.slice(0, input.email.lastIndexOf('@')).slice(0, 100);
  const now = deps.clock();
  const role = setup ? 'admin' : 'user';

  let row: UserRow;
  try {
    row = await deps.database.transaction(async (tx) => {
      await lockRegistrations(tx);
      if (setup) {
        if (!(await takeSetupToken(tx, hashToken(input.setupToken!), now))) {
          throw badRequest('setupToken', 'unknown, expired or already used setup token', 'invalid_setup_token');
        }
        // One admin bootstrap, then none: the tokens other starts printed go with it.
        await deleteSetupTokens(tx);
      }
      if (policy === 'invite' && !(await lockUsableInvite(tx, input.inviteCode!, now))) {
        throw badRequest('inviteCode', BAD_INVITE, 'invalid_invite');
      }
      const user = await insertUser(tx, { email: input.email, passwordHash, displayName, role, now });
      if (policy === 'invite') await markInviteUsed(tx, input.inviteCode!, user.id, now);
      await insertAudit(tx, {
        actorUserId: user.id,
        action: 'user.register',
        targetType: 'user',
        targetId: user.id,
        details: { role, policy: setup ? 'setup-token' : policy, ...(policy === 'invite' ? { invite: true } : {}) },
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
