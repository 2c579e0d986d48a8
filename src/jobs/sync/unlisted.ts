import type { Db } from '../../infra/db/client.js';
import { existingUserIds } from '../../infra/db/repos/users.js';
import { revive, type StateUpdate } from './judge.js';
import type { ListedKey } from './plan.js';
import { rowsOfCrsKeys } from './rows.js';

export interface Unlisted {
  /** Deleted rows whose key an operator restored in CRS. */
  revived: StateUpdate[];
  /** Operator-made keys tagged for one of our users, without a create marker: adopted (docs/decisions/010). */
  adopt: ListedKey[];
  /** Keys carrying a create marker without a row: settled after the transaction (settle.ts). */
  marked: ListedKey[];
}

/**
 * The listed keys without a live row (normally none: creates in flight, orphans, operator keys, restores), told
 * apart with one query. A key without a marker is never deleted; one with a marker the portal does not know is
 * left alone.
 */
export async function classifyUnlisted(
  db: Db,
  listed: Iterable<ListedKey>,
  liveIds: Set<string>,
  cycleStart: Date,
): Promise<Unlisted> {
  const out: Unlisted = { revived: [], adopt: [], marked: [] };
  const others = [...listed].filter((k) => !liveIds.has(k.id));
  if (others.length === 0) return out;
  const rows = new Map(
    (
      await rowsOfCrsKeys(
        db,
        others.map((k) => k.id),
      )
    ).map((r) => [r.crsKeyId, r]),
  );
  const owned: ListedKey[] = [];
  for (const k of others) {
    const row = rows.get(k.id);
    if (row) {
      // Deleted before this cycle began, so its CRS delete came before the list was read: CRS restored it.
      const settled = !row.pendingWrite || Date.parse(row.pendingWrite.deadline) < cycleStart.getTime();
      if (row.status === 'deleted' && row.updatedAt < cycleStart && settled)
        out.revived.push(revive(row, k, cycleStart));
    } else if (k.marker) out.marked.push(k);
    else if (k.owner) owned.push(k);
  }
  if (owned.length) {
    const ours = await existingUserIds(db, [...new Set(owned.map((k) => k.owner!))]);
    out.adopt = owned.filter((k) => ours.has(k.owner!));
  }
  return out;
}
