import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { countKeys } from '../../infra/db/repos/keys.js';
import { type AdminUserRow, countUsers, findAdminUser, listUsers, updateUser } from '../../infra/db/repos/users.js';
import type { AccountsService } from '../accounts/index.js';
import { refuseLastAdmin } from '../accounts/last-admin.js';
import type { Role, UserStatus } from '../accounts/types.js';
import { AppError, notFound } from '../errors.js';
import { applyOwnerStatus, recordOwnerStatus } from '../keys/owner-status.js';

export interface AdminUserView {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  status: UserStatus;
  maxKeys: number;
  /** True when maxKeys is the operator's default rather than set for this user. */
  maxKeysDefault: boolean;
  keys: number;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface UserPatch {
  status?: UserStatus;
  role?: Role;
  /** null: back to the default. */
  maxKeys?: number | null;
}

/** User management for admins: list, disable, promote, per-user key quota. */
export function createAdminUsers(
  deps: Deps,
  accounts: Pick<AccountsService, 'forgetUserSessions' | 'revokeUserSessions'>,
) {
  const { db } = deps.database;

  const view = (u: AdminUserRow): AdminUserView => ({
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    status: u.status,
    maxKeys: u.maxKeys ?? deps.config.defaultMaxKeys,
    maxKeysDefault: u.maxKeys === null,
    keys: Number(u.keys),
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
  });

  return {
    async list(q: { page: number; pageSize: number; search?: string }) {
      const { items, total } = await listUsers(db, q);
      return { items: items.map(view), page: q.page, pageSize: q.pageSize, total };
    },

    /** Disabling a user revokes their sessions at once; an admin cannot lock themselves out. */
    async update(actorId: string, id: string, patch: UserPatch, ip?: string): Promise<AdminUserView> {
      const before = await findAdminUser(db, id);
      if (!before) throw notFound('User');
      if (id === actorId && (patch.status === 'disabled' || patch.role === 'user')) {
        throw new AppError('conflict', 'You cannot disable yourself or remove your own admin role');
      }
      const now = deps.clock();
      await deps.database.transaction(async (tx) => {
        if (patch.status === 'disabled' || patch.role === 'user') await refuseLastAdmin(tx, id);
        await updateUser(tx, id, patch, now);
        await insertAudit(tx, {
          actorUserId: actorId,
          action: 'user.update',
          targetType: 'user',
          targetId: id,
          details: { ...patch },
          ip,
        });
        if (patch.status && patch.status !== before.status) await recordOwnerStatus(tx, id, patch.status, actorId, ip);
      });
      // Cached sessions carry role and status: drop them so the change applies to the very next request (a
      // disabled user's sessions no longer resolve). Then revoke them for good: re-enabling means signing in again.
      await accounts.forgetUserSessions(id);
      if (patch.status === 'disabled') await accounts.revokeUserSessions(id);
      // The user's keys follow in CRS (disabled, or exactly those restored); what fails here the sync finishes.
      if (patch.status) await applyOwnerStatus(deps, id, actorId);
      await deps.cache.invalidateUser(id);
      return view((await findAdminUser(db, id))!);
    },

    async counts() {
      const [users, keys] = await Promise.all([countUsers(db), countKeys(db)]);
      return { users, keys: keys.keys, activeKeys: keys.active };
    },
  };
}
