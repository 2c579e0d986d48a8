import { and, asc, count, desc, eq, gt, ilike, isNotNull, isNull, lte, ne, or, type SQL, sql } from 'drizzle-orm';
import type {
  CrsState,
  KeyLimits,
  KeyStatus,
  ListKeysQuery,
  OperatorLocks,
  PendingWrite,
} from '../../../domain/keys/types.js';
import type { Db } from '../client.js';
import { apiKeys, users } from '../schema.js';
import { containsPattern } from './raw-sql.js';

/** SQL reading and adding key rows: the owner's list, one owned key, the admin's views, a new key. */

/** A key's lifetime usage, as the sync copies it from CRS's usage-stats. */
export interface KeyTotals {
  totalRequests: number;
  totalTokens: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  totalCostMicros: number;
}

export interface KeyRow extends KeyTotals {
  id: string;
  userId: string;
  /** CRS's key UUID: a credential for CRS's public stats API, so it never leaves the server. */
  crsKeyId: string;
  name: string;
  description: string;
  status: KeyStatus;
  keyPrefix: string;
  keyLast4: string;
  limits: KeyLimits;
  models: string[];
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  lastUsedAt: Date | null;
  usageSyncedAt: Date | null;
  crsState: CrsState;
  origin: 'portal' | 'operator';
  operatorLocks: OperatorLocks | null;
  pendingWrite: PendingWrite | null;
  suspended: boolean;
  rev: number;
}

/** A key the portal made (the create protocol's last step); usage, origin and the rest take their defaults. */
export type NewKey = Pick<
  KeyRow,
  | 'userId'
  | 'crsKeyId'
  | 'name'
  | 'description'
  | 'status'
  | 'keyPrefix'
  | 'keyLast4'
  | 'limits'
  | 'models'
  | 'expiresAt'
  | 'createdAt'
  | 'updatedAt'
>;

export async function findOwnedKey(db: Db, userId: string, keyId: string): Promise<KeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId)))
    .limit(1);
  return row;
}

export async function insertKey(tx: Db, key: NewKey): Promise<KeyRow> {
  const [row] = await tx.insert(apiKeys).values(key).returning();
  return row;
}

/** Keys of the user that are not deleted: what the key quota counts. */
export async function countLiveKeys(tx: Db, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), ne(apiKeys.status, 'deleted')));
  return row.n;
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

export async function listKeys(
  db: Db,
  userId: string,
  q: ListKeysQuery,
  now: Date,
): Promise<{ items: KeyRow[]; total: number }> {
  const where = and(
    eq(apiKeys.userId, userId),
    statusFilter(q.status, now),
    q.search ? ilike(apiKeys.name, containsPattern(q.search)) : undefined,
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

/** Keys not deleted, and how many of them are active (the admin overview). */
export async function countKeys(db: Db): Promise<{ keys: number; active: number }> {
  const [row] = await db
    .select({ keys: count(), active: sql<number>`count(*) filter (where ${apiKeys.status} = 'active')` })
    .from(apiKeys)
    .where(ne(apiKeys.status, 'deleted'));
  return { keys: row.keys, active: Number(row.active) };
}

/** A key as the admin sees it (docs/decisions/011): with its owner and what the operator holds. */
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

const adminColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  status: apiKeys.status,
  expiresAt: apiKeys.expiresAt,
  origin: apiKeys.origin,
  operatorLocks: apiKeys.operatorLocks,
  ownerId: users.id,
  ownerEmail: users.email,
};

/** Every key, or those the operator holds, the latest lock first. */
export async function listAdminKeys(
  db: Db,
  q: { locked: boolean; page: number; pageSize: number },
): Promise<{ items: AdminKeyRow[]; total: number }> {
  // A deleted key's locks hold nothing any more.
  const where = q.locked ? and(isNotNull(apiKeys.operatorLocks), ne(apiKeys.status, 'deleted')) : undefined;
  const [items, [{ total }]] = await Promise.all([
    db
      .select(adminColumns)
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(where)
      .orderBy(desc(sql`${apiKeys.operatorLocks}->>'since'`), desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ total: count() }).from(apiKeys).where(where),
  ]);
  return { items, total };
}

export async function findAdminKey(db: Db, id: string): Promise<(AdminKeyRow & { rev: number }) | undefined> {
  const [row] = await db
    .select({ ...adminColumns, rev: apiKeys.rev })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.id, id));
  return row;
}
