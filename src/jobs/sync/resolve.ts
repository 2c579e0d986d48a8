import type { Deps } from '../../deps.js';
import { ownerTag, PORTAL_TAG, withOwnerTags } from '../../domain/keys/crs-fields.js';
import type { Db } from '../../infra/db/client.js';
import type { missingKeys } from '../../infra/db/repos/sync-staged-reads.js';
import { stageDeleted, stageKeys } from '../../infra/db/repos/sync-staging.js';
import type { SyncAudit } from './judge.js';
import { listedKey, stagedKey } from './plan.js';

/** Searches per cycle for keys the tag-filtered list missed (each one scans CRS's keyspace). */
const MAX_SEARCHES = 20;
const CONCURRENCY = 4;

export interface Resolution {
  /** The deleted list was read: the missing keys not in usage-stats are judged deleted or gone this cycle. */
  removedKnown: boolean;
  audits: Array<SyncAudit & { targetId: string }>;
  crsCalls: number;
}

/**
 * A portal key missing from the list filtered by tag `portal` is told apart by id, never guessed from the tag
 * (docs/crs.md, quirk 14): still in usage-stats (every non-deleted key) → live, its tags replaced by an operator
 * → found through `search` and its two portal tags put back (the operator's kept), and staged as listed; not
 * there → read CRS's deleted list (once) and stage it → soft-deleted, or gone (judged with the rest). A key that
 * cannot be found this cycle is left as it is. Needs usage-stats staged whenever a key is missing (`missing`).
 */
export async function resolveMissing(
  deps: Deps,
  db: Db,
  now: Date,
  missing: Awaited<ReturnType<typeof missingKeys>>,
): Promise<Resolution> {
  const out: Resolution = { removedKnown: false, audits: [], crsCalls: 0 };
  if (missing.count === 0) return out;

  const queue = [...missing.live];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      try {
        await findAgain(deps, db, now, row, out);
      } catch (err) {
        deps.logger.warn(
          { err: (err as Error).message, keyId: row.id },
          'sync: a key missing from the list was not found',
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  if (missing.notLive > 0) {
    try {
      out.crsCalls++;
      await stageDeleted(
        db,
        (await deps.crs.listDeletedKeys()).map((k) => k.id),
      );
      out.removedKnown = true;
    } catch (err) {
      deps.logger.warn(
        { err: (err as Error).message },
        'sync: CRS deleted list unavailable; missing keys judged later',
      );
    }
  }
  return out;
}

export const SEARCHES_PER_CYCLE = MAX_SEARCHES;

async function findAgain(
  deps: Deps,
  db: Db,
  now: Date,
  row: { id: string; userId: string; crsKeyId: string; usageName: string },
  out: Resolution,
) {
  out.crsCalls++;
  const key = await deps.crs.findKey(row.crsKeyId, row.usageName);
  if (!key) return;
  if (!key.tags.includes(PORTAL_TAG) || !key.tags.includes(ownerTag(row.userId))) {
    const tags = withOwnerTags(key.tags, row.userId);
    out.crsCalls++;
    await deps.crs.updateKey(key.id, { tags });
    deps.logger.warn(
      { keyId: row.id, operatorTags: key.tags },
      "sync: an operator replaced a portal key's tags in CRS; the portal's tags were put back",
    );
    out.audits.push({ action: 'key.tags_restored', targetId: row.id, details: { from: key.tags, to: tags } });
    key.tags = tags;
  }
  // Found by id: listed from now on, ahead of any page (page 0).
  await stageKeys(db, [stagedKey(listedKey(key), 0, now)]);
}
