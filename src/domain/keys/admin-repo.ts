import { and, count, desc, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { apiKeys, type KeyStatus, type OperatorLocks, users } from '../../infra/db/schema.js';

/** SQL of the admin's key views (docs/decisions/011). */

const columns = {
  id: apiKeys.id,
  name: apiKeys.name,
  status: apiKeys.status,
  expiresAt: apiKeys.expiresAt,
  origin: apiKeys.origin,
  operatorLocks: apiKeys.operatorLocks,
  ownerId: users.id,
  ownerEmail: users.email,
};

export interface AdminKeyRow {
  id: string;
  name: string;
  status: KeyStatus;
  expiresAt: Date | null;
  origin: 'portal' | 'operator';
  operatorLocks: OperatorLocks | null;
  ownerId: string;
  ownerEmail: string;
}

export async function listAdminKeys(db: Db, q: { locked: boolean; page: number; pageSize: number }) {
  // A deleted key's locks hold nothing any more.
  const where = q.locked ? and(isNotNull(apiKeys.operatorLocks), ne(apiKeys.status, 'deleted')) : undefined;
  const [items, [{ total }]] = await Promise.all([
    db
      .select(columns)
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(where)
      .orderBy(desc(sql`${apiKeys.operatorLocks}->>'since'`), desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ total: count() }).from(apiKeys).where(where),
  ]);
  return { items: items satisfies AdminKeyRow[], total };
}

export async function adminKey(db: Db, id: string): Promise<(AdminKeyRow & { rev: number }) | undefined> {
  const [row] = await db
    .select({ ...columns, rev: apiKeys.rev })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.id, id));
  return row;
}

/** The new locks, on the row as read (its `rev`): false when the row changed meanwhile. */
export async function setLocks(db: Db, id: string, rev: number, locks: OperatorLocks | null): Promise<boolean> {
  const done = await db
    .update(apiKeys)
    .set({ operatorLocks: locks, rev: sql`${apiKeys.rev} + 1` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.rev, rev)))
    .returning({ id: apiKeys.id });
  return done.length > 0;
}
