import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { UserStatus } from '../../../domain/accounts/types.js';
import type { OperatorLocks, PendingWrite } from '../../../domain/keys/types.js';
import type { Db } from '../client.js';
import { apiKeys, users } from '../schema.js';
import type { KeyRow } from './keys.js';

/**
 * SQL changing key rows the portal writes (docs/decisions/011). Every change is conditional on the row's `rev` as
 * read, or on the intent it recorded, and bumps `rev`: the sync writes what it judged only onto the row it read.
 */

/** The values a portal write sets on a key row. */
export type KeyChanges = Partial<
  Pick<
    KeyRow,
    | 'name'
    | 'description'
    | 'status'
    | 'limits'
    | 'models'
    | 'expiresAt'
    | 'deletedAt'
    | 'crsState'
    | 'suspended'
    | 'updatedAt'
  >
>;

const bumped = { rev: sql`${apiKeys.rev} + 1` };
const atRev = (row: Pick<KeyRow, 'id' | 'rev'>) => and(eq(apiKeys.id, row.id), eq(apiKeys.rev, row.rev));

/** A change of the row as read (its `rev`): false when the row changed meanwhile. */
async function setAtRev(db: Db, row: Pick<KeyRow, 'id' | 'rev'>, set: Partial<KeyRow>): Promise<boolean> {
  const done = await db
    .update(apiKeys)
    .set({ ...set, ...bumped })
    .where(atRev(row))
    .returning({ id: apiKeys.id });
  return done.length > 0;
}

/** Records the intent of a CRS write on the row read as `row`: false when the row changed since. */
export const recordPendingWrite = (db: Db, row: KeyRow, pending: PendingWrite): Promise<boolean> =>
  setAtRev(db, row, { pendingWrite: pending });

/** The row after the write landed: its new values, and the intent replaced by `residual` if it is still `pending`. */
export async function finishPendingWrite(
  db: Db,
  rowId: string,
  pending: PendingWrite,
  residual: PendingWrite | null,
  set: KeyChanges & { updatedAt: Date },
): Promise<KeyRow> {
  const [row] = await db
    .update(apiKeys)
    .set({
      ...set,
      pendingWrite: sql`case when ${apiKeys.pendingWrite}->>'id' = ${pending.id} then ${residual ? JSON.stringify(residual) : null}::jsonb else ${apiKeys.pendingWrite} end`,
      ...bumped,
    })
    .where(eq(apiKeys.id, rowId))
    .returning();
  return row;
}

/** The write did not happen: the intent `pending` is replaced by `residual`, nothing else changes. */
export async function dropPendingWrite(
  db: Db,
  rowId: string,
  pending: PendingWrite,
  residual: PendingWrite | null,
): Promise<void> {
  await db
    .update(apiKeys)
    .set({ pendingWrite: residual, ...bumped })
    .where(and(eq(apiKeys.id, rowId), sql`${apiKeys.pendingWrite}->>'id' = ${pending.id}`));
}

/** A change of the row read as `row` (no CRS call, so no intent); undefined when the row changed since. */
export async function updateKeyAtRev(db: Db, row: KeyRow, set: KeyChanges): Promise<KeyRow | undefined> {
  const [updated] = await db
    .update(apiKeys)
    .set({ ...set, ...bumped })
    .where(atRev(row))
    .returning();
  return updated;
}

/** The new locks, on the row as read (its `rev`): false when the row changed meanwhile. */
export const setOperatorLocks = (
  db: Db,
  row: Pick<KeyRow, 'id' | 'rev'>,
  locks: OperatorLocks | null,
): Promise<boolean> => setAtRev(db, row, { operatorLocks: locks });

/**
 * Marks the owner's active keys as suspended (the intent, before any CRS write). Keys already disabled, or held
 * disabled by the operator, stay out, so re-enabling the owner restores exactly these.
 */
export async function markSuspended(db: Db, userId: string): Promise<{ id: string; name: string }[]> {
  return db
    .update(apiKeys)
    .set({ suspended: true, ...bumped })
    .where(
      and(
        eq(apiKeys.userId, userId),
        eq(apiKeys.status, 'active'),
        eq(apiKeys.suspended, false),
        sql`coalesce((${apiKeys.operatorLocks}->>'disabled')::boolean, false) = false`,
      ),
    )
    .returning({ id: apiKeys.id, name: apiKeys.name });
}

export interface SuspendedKey {
  row: KeyRow;
  ownerStatus: UserStatus;
}

/** Suspended keys not deleted (of one owner, or of these ids) with their owner's status, freshly read. */
export async function suspendedKeys(db: Db, by: { userId: string } | { ids: string[] }): Promise<SuspendedKey[]> {
  if ('ids' in by && by.ids.length === 0) return [];
  return db
    .select({ row: apiKeys, ownerStatus: users.status })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(
      and(
        eq(apiKeys.suspended, true),
        'ids' in by ? inArray(apiKeys.id, by.ids) : eq(apiKeys.userId, by.userId),
        isNull(apiKeys.deletedAt),
      ),
    );
}
