import { and, asc, count, eq, getTableColumns, ilike, isNull, ne, or, sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { apiKeys, sessions, users } from '../../infra/db/schema.js';
import type { AccountsService } from '../accounts/index.js';
import { audit } from '../audit.js';
import { AppError, notFound } from '../errors.js';
import { applyOwnerStatus, recordOwnerStatus } from '../keys/owner-status.js';
import { refuseLastAdmin } from './admins-repo.js';

export interface AdminUserView {
  id: string;
  email: string;
  displayName: string;
  role: 'user' | 'admin';
  status: 'active' | 'disabled';
  maxKeys: number;
  /** True when maxKeys is the operator's default rather than set for this user. */
  maxKeysDefault: boolean;
  keys: number;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface UserPatch {
  status?: 'active' | 'disabled';
  role?: 'user' | 'admin';
  /** null: back to the default. */
  maxKeys?: number | null;
}

/** User management for admins: list, disable, promote, per-user key quota. */
export function createAdminUsers(deps: Deps, accounts: Pick<AccountsService, 'forgetUserSessions'>) {
  const { db } = deps.database;
  // Written out in full: drizzle renders columns unqualified in a raw subquery, where "id" would mean api_keys.id.
  const liveKeys = sql<number>`(select count(*)::int from api_keys k where k.user_id = "users"."id" and k.status <> 'deleted')`;

  const view = (u: Omit<typeof users.$inferSelect, 'passwordHash'> & { keys: number }): AdminUserView => ({
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

  async function one(id: string) {
    const [u] = await db
      .select({ ...userColumns(), keys: liveKeys })
      .from(users)
      .where(eq(users.id, id));
    return u;
  }

  return {
    async list(q: { page: number; pageSize: number; search?: string }) {
      const where = q.search
        ? or(ilike(users.email, `%${escapeLike(q.search)}%`), ilike(users.displayName, `%${escapeLike(q.search)}%`))
        : undefined;
      const [rows, [{ total }]] = await Promise.all([
        db
          .select({ ...userColumns(), keys: liveKeys })
          .from(users)
          .where(where)
          .orderBy(asc(users.createdAt), asc(users.id))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ total: count() }).from(users).where(where),
      ]);
      return { items: rows.map(view), page: q.page, pageSize: q.pageSize, total };
    },

    /** Disabling a user revokes their sessions at once; an admin cannot lock themselves out. */
    async update(actorId: string, id: string, patch: UserPatch, ip?: string): Promise<AdminUserView> {
      const before = await one(id);
      if (!before) throw notFound('User');
      if (id === actorId && (patch.status === 'disabled' || patch.role === 'user')) {
        throw new AppError('conflict', 'You cannot disable yourself or remove your own admin role');
      }
      const now = deps.clock();
      await db.transaction(async (tx) => {
        if (patch.status === 'disabled' || patch.role === 'user') await refuseLastAdmin(tx, id);
        await tx
          .update(users)
          .set({ ...patch, updatedAt: now })
          .where(eq(users.id, id));
        await audit(tx, {
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
      if (patch.status === 'disabled') {
        await db
          .update(sessions)
          .set({ revokedAt: now })
          .where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)));
      }
      // The user's keys follow in CRS (disabled, or exactly those restored); what fails here the sync finishes.
      if (patch.status) await applyOwnerStatus(deps, id, actorId);
      await deps.cache.invalidateUser(id);
      return view((await one(id))!);
    },

    async counts() {
      const [[u], [k]] = await Promise.all([
        db.select({ n: count() }).from(users),
        db
          .select({ keys: count(), active: sql<number>`count(*) filter (where ${apiKeys.status} = 'active')` })
          .from(apiKeys)
          .where(ne(apiKeys.status, 'deleted')),
      ]);
      return { users: u.n, keys: k.keys, activeKeys: Number(k.active) };
    },
  };
}

/** Every user column except the password hash, which never leaves the accounts module. */
function userColumns() {
  const { passwordHash: _secret, ...rest } = getTableColumns(users);
  return rest;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
