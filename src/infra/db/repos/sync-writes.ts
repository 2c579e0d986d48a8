import { sql } from 'drizzle-orm';
import type { CrsState, KeyLimits, KeyStatus, OperatorLocks } from '../../../domain/keys/types.js';
import type { Db } from '../client.js';
import { batches, batchParam, iso, rowsOf } from './raw-sql.js';

/**
 * The sync's judged writes (docs/decisions/011): key state, written only onto the row as it was read. The
 * usage writes, computed from the staging tables, are in sync-usage-writes.ts.
 */

/** The state CRS holds for a key, judged by the sync, written only onto the row as it was read (`rev`). */
export interface KeyStateWrite {
  id: string;
  rev: number;
  name: string;
  status: KeyStatus;
  expiresAt: Date | null;
  limits: KeyLimits;
  models: string[];
  crsState: CrsState;
  locks: OperatorLocks | null;
  clearPending: boolean;
}

/**
 * Writes judged states onto rows still at the `rev` the sync read: a portal write that landed meanwhile wins,
 * and the row is judged again next cycle. Returns the states written (their audit rows follow).
 */
export async function writeKeyStates<T extends KeyStateWrite>(db: Db, states: T[], now: Date): Promise<T[]> {
  const written: T[] = [];
  for (const b of batches(states)) {
    const rows = b.map((s) => ({
      id: s.id,
      rev: s.rev,
      name: s.name,
      status: s.status,
      expires_at: iso(s.expiresAt),
      limits: s.limits,
      models: s.models,
      crs_state: s.crsState,
      locks: s.locks,
      clear_pending: s.clearPending,
    }));
    const result = await db.execute(sql`
      update api_keys k set
        name = v.name, status = v.status, expires_at = v.expires_at, limits = v.limits, models = v.models,
        crs_state = v.crs_state, operator_locks = v.locks,
        deleted_at = case when v.status = 'deleted' then coalesce(k.deleted_at, ${iso(now)}::timestamptz) else null end,
        suspended = case when v.status = 'deleted' then false else k.suspended end,
        pending_write = case when v.clear_pending then null else k.pending_write end,
        rev = k.rev + 1, updated_at = ${iso(now)}::timestamptz
      from jsonb_to_recordset(${batchParam(rows)}) as v(id uuid, rev int, name text, status text,
        expires_at timestamptz, limits jsonb, models jsonb, crs_state text, locks jsonb, clear_pending boolean)
      where k.id = v.id and k.rev = v.rev
      returning k.id`);
    const ids = new Set(rowsOf<{ id: string }>(result).map((r) => r.id));
    for (const s of b) if (ids.has(s.id)) written.push(s);
  }
  return written;
}
