import type { Db } from '../../infra/db/client.js';
import { liveSyncKeys } from '../../infra/db/repos/sync-reads.js';
import { type PortalKeyState, portalKeyState } from './plan.js';

/** Portal keys the sync maintains, every key not deleted, read with `rev` (what the sync's judgement lands on). */
export async function loadPortalKeys(db: Db): Promise<PortalKeyState[]> {
  return (await liveSyncKeys(db)).map(portalKeyState);
}
