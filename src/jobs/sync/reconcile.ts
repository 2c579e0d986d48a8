import { inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { users } from '../../infra/db/schema.js';
import type { ListedKey } from './plan.js';
import { allCrsKeyIds } from './write.js';

/** A key younger than this may belong to a create still in flight (CRS first, then our row). */
const GRACE_MS = 10 * 60_000;

/**
 * Finds CRS keys tagged as the portal's that have no portal row (a create whose compensation failed, a crash
 * between the two steps) and deletes them in CRS, soft then permanent. Only keys whose owner tag names one of
 * OUR users are touched: another portal sharing the CRS tags its keys with users we do not have.
 */
export async function reconcile(deps: Deps, listed: ListedKey[]): Promise<number> {
  const { db } = deps.database;
  const known = await allCrsKeyIds(db);
  const cutoff = deps.clock().getTime() - GRACE_MS;
  const candidates = listed.filter((k) => !known.has(k.id) && Date.parse(k.createdAt) < cutoff && k.owner);
  const owners = [...new Set(candidates.map((k) => k.owner!))].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const ours = owners.length
    ? new Set((await db.select({ id: users.id }).from(users).where(inArray(users.id, owners))).map((u) => u.id))
    : new Set<string>();
  const orphans = candidates.filter((k) => ours.has(k.owner!));
  let removed = 0;
  for (const key of orphans) {
    try {
      await deps.crs.deleteKey(key.id);
      await deps.crs.deleteKeyPermanently(key.id);
      removed++;
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'reconcile: could not remove an orphaned CRS key');
    }
  }
  if (orphans.length) deps.logger.info({ orphans: orphans.length, removed }, 'reconcile: orphaned CRS keys removed');
  return removed;
}
