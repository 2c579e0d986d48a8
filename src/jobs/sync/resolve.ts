import type { Deps } from '../../deps.js';
import { ownerTag, PORTAL_TAG, withOwnerTags } from '../../domain/keys/crs-fields.js';
import type { CrsKeyUsage } from '../../infra/crs/types.js';
import type { SyncAudit } from './judge.js';
import { type ListedKey, listedKey, type PortalKeyState } from './plan.js';

/** Searches per cycle for keys the tag-filtered list missed (each one scans CRS's keyspace). */
const MAX_SEARCHES = 20;
const CONCURRENCY = 4;

export interface Resolution {
  /** Live keys the list missed, found by id (their tags restored when an operator had replaced them). */
  found: ListedKey[];
  /** Portal keys no longer live in CRS: soft-deleted (in CRS's deleted list) or gone (hard-deleted, expired). */
  removed: Map<string, 'deleted' | 'gone'>;
  audits: Array<SyncAudit & { targetId: string }>;
  crsCalls: number;
}

/**
 * A portal key missing from the list filtered by tag `portal` is told apart by id, never guessed from the tag
 * (docs/crs.md, quirk 14): still in usage-stats (every non-deleted key) → live, its tags replaced by an operator
 * → found through `search` and its two portal tags put back (the operator's kept); not there → read CRS's deleted
 * list (once) → soft-deleted, or gone. A key that cannot be found this cycle is left as it is.
 */
export async function resolveMissing(
  deps: Deps,
  rows: PortalKeyState[],
  listed: Map<string, ListedKey>,
  usage: Map<string, CrsKeyUsage>,
  now: Date,
): Promise<Resolution> {
  const out: Resolution = { found: [], removed: new Map(), audits: [], crsCalls: 0 };
  const missing = rows.filter(
    (r) => !listed.has(r.crsKeyId) && !(r.pendingWrite && Date.parse(r.pendingWrite.deadline) >= now.getTime()),
  );
  if (missing.length === 0) return out;
  const live = missing.filter((r) => usage.has(r.crsKeyId));
  const notLive = missing.filter((r) => !usage.has(r.crsKeyId));

  const queue = live.slice(0, MAX_SEARCHES);
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      try {
        await findAgain(deps, row, usage.get(row.crsKeyId)!.name, out);
      } catch (err) {
        deps.logger.warn(
          { err: (err as Error).message, keyId: row.id },
          'sync: a key missing from the list was not found',
        );
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));

  if (notLive.length) {
    try {
      out.crsCalls++;
      const deleted = new Set((await deps.crs.listDeletedKeys()).map((k) => k.id));
      for (const r of notLive) out.removed.set(r.crsKeyId, deleted.has(r.crsKeyId) ? 'deleted' : 'gone');
    } catch (err) {
      deps.logger.warn(
        { err: (err as Error).message },
        'sync: CRS deleted list unavailable; missing keys judged later',
      );
    }
  }
  return out;
}

async function findAgain(deps: Deps, row: PortalKeyState, crsName: string, out: Resolution) {
  out.crsCalls++;
  const key = await deps.crs.findKey(row.crsKeyId, crsName);
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
  out.found.push(listedKey(key));
}
