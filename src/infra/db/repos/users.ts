import { and, asc, count, eq, getTableColumns, ilike, or, sql } from 'drizzle-orm';
import type { Role, UserStatus } from '../../../domain/accounts/types.js';
import type { Db } from '../client.js';
import { users } from '../schema.js';
import { containsPattern, rowsOf } from './raw-sql.js';

/** SQL on users: sign-in and registration, the admin's user management, the owners of keys. */

export interface UserRow {
  id: string;
  email: string;
  passwordHash: string;
  displayName: string;
  role: Role;
  status: UserStatus;
  /** Null: the operator's default (DEFAULT_MAX_KEYS). */
  maxKeys: number | null;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}

/** A user as the admin lists them: never the password hash, with the number of keys not deleted. */
export type AdminUserRow = Omit<UserRow, 'passwordHash'> & { keys: number };

/** The user as a signed-in caller's context needs it (sessions and tokens join it on every cache miss). */
export const callerColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  role: users.role,
  status: users.status,
  createdAt: users.createdAt,
};

/** Any lock id distinct from the jobs' leader locks; held for one registration transaction. */
const REGISTRATION_LOCK = 7_340_001;

/**
 * Serialises registrations and the start's admin bootstrap (rare, and passwords are hashed before): a setup token
 * or an invite is judged and used by one of them at a time.
 */
export async function lockRegistrations(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${REGISTRATION_LOCK})`);
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function insertUser(
  tx: Db,
  u: { email: string; passwordHash: string; displayName: string; role: Role; now?: Date },
): Promise<UserRow> {
  const at = u.now && { createdAt: u.now, updatedAt: u.now, lastLoginAt: u.now };
  const [row] = await tx
    .insert(users)
    .values({ email: u.email, passwordHash: u.passwordHash, displayName: u.displayName, role: u.role, ...at })
    .returning();
  return row;
}

export async function setLastLogin(db: Db, userId: string, now: Date): Promise<void> {
  await db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId));
}

export async function setPasswordHash(tx: Db, userId: string, passwordHash: string, now: Date): Promise<void> {
  await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
}

/** Makes an existing user an active admin. */
export async function makeActiveAdmin(tx: Db, userId: string, now: Date): Promise<void> {
  await tx.update(users).set({ role: 'admin', status: 'active', updatedAt: now }).where(eq(users.id, userId));
}

const activeAdmin = and(eq(users.role, 'admin'), eq(users.status, 'active'));

export async function hasActiveAdmin(db: Db): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(activeAdmin).limit(1);
  return rows.length > 0;
}

/**
 * The active admins' ids, their rows locked until the transaction ends: two transactions demoting admins at the
 * same moment are serialised (locked in id order, so they cannot deadlock), the second one reading after the first.
 */
export async function lockActiveAdmins(tx: Db): Promise<string[]> {
  const rows = await tx.select({ id: users.id }).from(users).where(activeAdmin).orderBy(users.id).for('update');
  return rows.map((r) => r.id);
}

/**
 * The user's status and key quota, the row locked until the transaction ends: `update` queues concurrent key
 * creates of one owner; `share` lets them read together while an admin changing the owner waits (or went first).
 */
export async function lockUser(
  tx: Db,
  id: string,
  mode: 'update' | 'share',
): Promise<Pick<UserRow, 'status' | 'maxKeys'> | undefined> {
  const [row] = await tx
    .select({ status: users.status, maxKeys: users.maxKeys })
    .from(users)
    .where(eq(users.id, id))
    .for(mode);
  return row;
}

/** Which of these ids are users (ids that are not UUIDs are not): one JSON parameter, however many ids. */
export async function existingUserIds(db: Db, ids: string[]): Promise<Set<string>> {
  const uuids = ids.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  if (uuids.length === 0) return new Set();
  const result = await db.execute(
    sql`select id from users where id in (select (jsonb_array_elements_text(${JSON.stringify(uuids)}::jsonb))::uuid)`,
  );
  return new Set(rowsOf<{ id: string }>(result).map((r) => r.id));
}

// Written out in full: drizzle renders columns unqualified in a raw subquery, where "id" would mean api_keys.id.
const liveKeys = sql<number>`(select count(*)::int from api_keys k where k.user_id = "users"."id" and k.status <> 'deleted')`;

/** Every user column except the password hash, which never leaves the accounts module. */
function adminColumns() {
  const { passwordHash: _secret, ...rest } = getTableColumns(users);
  return { ...rest, keys: liveKeys };
}

/** One page of users by creation, optionally those whose address or name contains `search`. */
export async function listUsers(
  db: Db,
  q: { page: number; pageSize: number; search?: string },
): Promise<{ items: AdminUserRow[]; total: number }> {
  const like = q.search && containsPattern(q.search);
  const where = like ? or(ilike(users.email, like), ilike(users.displayName, like)) : undefined;
  const [items, [{ total }]] = await Promise.all([
    db
      .select(adminColumns())
      .from(users)
      .where(where)
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { items, total };
}

export async function findAdminUser(db: Db, id: string): Promise<AdminUserRow | undefined> {
  const [row] = await db.select(adminColumns()).from(users).where(eq(users.id, id));
  return row;
}

export async function updateUser(
  tx: Db,
  id: string,
  patch: { status?: UserStatus; role?: Role; maxKeys?: number | null },
  now: Date,
): Promise<void> {
  await tx
    .update(users)
    .set({ ...patch, updatedAt: now })
    .where(eq(users.id, id));
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row.n;
}
