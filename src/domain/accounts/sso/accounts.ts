import type { Deps } from '../../../deps.js';
import { isUniqueViolation } from '../../../infra/db/errors.js';
import { insertAudit } from '../../../infra/db/repos/audit.js';
import { lockUsableInvite, markInviteUsed } from '../../../infra/db/repos/invites.js';
import { insertSsoIdentity } from '../../../infra/db/repos/sso.js';
import { insertUser, lockRegistrations, type UserRow, updateUser } from '../../../infra/db/repos/users.js';
import type { OidcIdentity } from '../../../infra/oidc/client.js';
import { AppError, badRequest } from '../../errors.js';
import { refuseLastAdmin } from '../last-admin.js';
import { NO_PASSWORD } from '../password-hash.js';
import type { PublicUser } from '../types.js';
import { toPublicUser } from '../view.js';

/** What the single sign-on needs to know of an identity to sign it up, link it or map its role, kept in a flow. */
export interface PendingIdentity {
  issuer: string;
  subject: string;
  email: string;
  name?: string;
  /** The admin mapping's verdict at the callback (the claims are not kept). */
  admin?: boolean;
}

/** A refusal the callback turns into `/login?sso_error=<reason>` (the web app words it). */
export const ssoRefusal = (reason: string, message: string) => new AppError('forbidden', message, { reason });

/** True, false, or undefined when no mapping is configured (then SSO never changes a role). */
export function adminVerdict(deps: Deps, identity: OidcIdentity): boolean | undefined {
  const o = deps.config.oidc;
  if (!o?.adminClaim) return undefined;
  const raw = identity.claims[o.adminClaim];
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.some((v) => typeof v === 'string' && o.adminValues.includes(v));
}

export function domainAllowed(deps: Deps, email: string): boolean {
  const allowed = deps.config.oidc?.allowedDomains ?? [];
  return allowed.length === 0 || allowed.includes(email.slice(email.lastIndexOf('@') + 1));
}

/**
 * Applies the provider's admin mapping at a sign-in (docs/decisions/028): the claim makes an admin, its absence
 * takes the role away — but never from the last active admin, who stays one (and the refusal is audited).
 */
export async function applyAdminVerdict(
  deps: Deps,
  user: PublicUser,
  admin: boolean | undefined,
  forgetUser: (userId: string) => Promise<void>,
): Promise<PublicUser> {
  if (admin === undefined || (admin ? user.role === 'admin' : user.role !== 'admin')) return user;
  const role = admin ? 'admin' : 'user';
  const changed = await deps.database.transaction(async (tx) => {
    if (!admin) {
      try {
        await refuseLastAdmin(tx, user.id);
      } catch (e) {
        if (!(e instanceof AppError && e.code === 'conflict')) throw e;
        await insertAudit(tx, {
          actorUserId: null,
          action: 'sso.role_kept',
          targetType: 'user',
          targetId: user.id,
          details: { reason: 'last active admin' },
        });
        return false;
      }
    }
    await updateUser(tx, user.id, { role }, deps.clock());
    await insertAudit(tx, {
      actorUserId: null,
      action: 'sso.role',
      targetType: 'user',
      targetId: user.id,
      details: { role },
    });
    return true;
  });
  if (!changed) return user;
  await forgetUser(user.id);
  return { ...user, role };
}

/**
 * A new account for an identity: the registration policy decides (`open`, or `invite` with a code), and the account
 * has no password (NO_PASSWORD). The user, the identity, the invite and the audit row commit together.
 */
export async function signUp(deps: Deps, id: PendingIdentity, inviteCode: string | undefined): Promise<UserRow> {
  const policy = deps.config.registration;
  if (policy === 'closed') throw ssoRefusal('closed', 'Registration is closed on this portal');
  if (policy === 'invite' && !inviteCode) throw badRequest('inviteCode', 'an invite code is required');
  const now = deps.clock();
  try {
    return await deps.database.transaction(async (tx) => {
      await lockRegistrations(tx);
      if (policy === 'invite' && !(await lockUsableInvite(tx, inviteCode!, now))) {
        throw badRequest('inviteCode', 'unknown, expired or already used invite code');
      }
      const displayName = (id.name?.trim() || id.email.slice(0, id.email.lastIndexOf('@'))).slice(0, 100);
      const user = await insertUser(tx, { email: id.email, passwordHash: NO_PASSWORD, displayName, role: 'user', now });
      if (policy === 'invite') await markInviteUsed(tx, inviteCode!, user.id, now);
      await insertSsoIdentity(tx, { issuer: id.issuer, subject: id.subject, userId: user.id, email: id.email, now });
      await insertAudit(tx, {
        actorUserId: user.id,
        action: 'user.register',
        targetType: 'user',
        targetId: user.id,
        details: { role: 'user', policy, sso: id.issuer },
      });
      return user;
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('conflict', 'This email is already registered');
    throw e;
  }
}

/** Links the identity to an account whose password was just proven. */
export async function link(deps: Deps, id: PendingIdentity, user: UserRow, ip?: string): Promise<PublicUser> {
  await deps.database.transaction(async (tx) => {
    await insertSsoIdentity(tx, {
      issuer: id.issuer,
      subject: id.subject,
      userId: user.id,
      email: id.email,
      now: deps.clock(),
    });
    await insertAudit(tx, {
      actorUserId: user.id,
      action: 'sso.link',
      targetType: 'sso',
      targetId: user.id,
      details: { issuer: id.issuer, email: id.email },
      ip,
    });
  });
  return toPublicUser(user);
}
