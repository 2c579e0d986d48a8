import type { Db } from '../../infra/db/client.js';
import { liveSyncKeys, syncKeysByCrsId } from '../../infra/db/repos/sync-reads.js';
import { type PortalKeyState, portalKeyState } from './plan.js';

/** The key rows a sync judges, read with `rev` so that what it writes lands only on what it read. */

/** Portal keys the sync maintains: every key not deleted. */
export async function loadPortalKeys(db: Db): Promise<PortalKeyState[]> {
  return (await liveSyncKeys(db)).map(portalKeyState);
}

/** Rows of these CRS keys whatever their status (the listed keys without a live row: deleted ones come back). */
export async function rowsOfCrsKeys(db: Db, crsIds: string[]): Promise<PortalKeyState[]> {
  return (await syncKeysByCrsId(db, crsIds)).map(portalKeyState);
}
