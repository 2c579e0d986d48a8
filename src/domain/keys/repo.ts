import { and, asc, count, desc, eq, gt, ilike, isNull, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { apiKeys } from '../../infra/db/schema.js';
import type { ListKeysQuery } from './types.js';
import type { KeyRow } from './view.js';

/** SQL for keys: the only file of the keys module that knows tables. */

export async function findOwnedKey(db: Db, userId: string, keyId: string): Promise<KeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId)))
    .limit(1);
  return row;
}

const SORT_COLUMNS = {
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  tokens: apiKeys.totalTokens,
  cost: apiKeys.totalCostMicros,
} as const;

function statusFilter(status: ListKeysQuery['status'], now: Date): SQL | undefined {
  switch (status) {
    case undefined:
      return ne(apiKeys.status, 'deleted');
    case 'all':
      return undefined;
    case 'active':
      return and(eq(apiKeys.status, 'active'), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));
    case 'expired':
      return or(eq(apiKeys.status, 'expired'), and(eq(apiKeys.status, 'active'), lte(apiKeys.expiresAt, now)));
    default:
      return eq(apiKeys.status, status);
  }
}

export async function listKeys(db: Db, userId: string, q: ListKeysQuery, now: Date) {
  const search = q.search ? `%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where = and(
    eq(apiKeys.userId, userId),
    statusFilter(q.status, now),
    search ? ilike(apiKeys.name, search) : undefined,
  );
  const column = SORT_COLUMNS[q.sort];
  // Never-used keys sort last either way; the id tie-break keeps pages stable.
  const order =
    q.order === 'asc'
      ? [sql`${column} asc nulls last`, asc(apiKeys.id)]
      : [sql`${column} desc nulls last`, desc(apiKeys.id)];
  const [items, [{ total }]] = await Promise.all([
    db
      .select()
      .from(apiKeys)
      .where(where)
      .orderBy(...order)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ total: count() }).from(apiKeys).where(where),
  ]);
  return { items, total };
}
