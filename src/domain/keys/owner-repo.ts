import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { apiKeys, users } from '../../infra/db/schema.js';
import type { KeyRow } from './view.js';

/** SQL of the suspension of a disabled user's keys (docs/decisions/011). */

/**
 * In the admin's transaction: marks the owner's active keys as suspended (the intent, before any CRS write).
 * Keys already disabled stay out, so re-enabling the owner restores exactly these.
 */
export async function markSuspended(db: Db, userId: string): Promise<{ id: string; name: string }[]> {
  return db
    .update(apiKeys)
    .set({ suspended: true, rev: sql`${apiKeys.rev} + 1` })
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

/** Suspended keys (of one owner, or of these ids) with their owner's status, freshly read. */
export async function suspendedKeys(
  db: Db,
  by: { userId: string } | { ids: string[] },
): Promise<Array<{ row: KeyRow; ownerActive: boolean }>> {
  if ('ids' in by && by.ids.length === 0) return [];
  const rows = await db
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
  return rows.map((r) => ({ row: r.row, ownerActive: r.ownerStatus === 'active' }));
}

/** A suspended key the operator holds disabled is not re-enabled: it only stops being suspended. */
export async function unmarkSuspended(db: Db, row: KeyRow): Promise<boolean> {
  const done = await db
    .update(apiKeys)
    .set({ suspended: false, rev: sql`${apiKeys.rev} + 1` })
    .where(and(eq(apiKeys.id, row.id), eq(apiKeys.rev, row.rev)))
    .returning({ id: apiKeys.id });
  return done.length > 0;
}
