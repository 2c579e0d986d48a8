import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import type { StateUpdate, SyncAudit } from './judge.js';
import type { ListedKey } from './plan.js';
import { batches, batchParam, iso, rowsOf } from './write.js';

/** The sync's writes of key state (docs/decisions/011): judged fields, adopted keys, and their audit rows. */

/**
 * Writes judged states onto rows still at the `rev` the sync read: a portal write that landed meanwhile wins,
 * and the row is judged again next cycle. Returns the states written (their audit rows follow).
 */
export async function writeKeyStates(db: Db, states: StateUpdate[], now: Date): Promise<StateUpdate[]> {
  const written: StateUpdate[] = [];
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

/** An operator's key for one of our users becomes theirs in the portal (`origin: operator`, secret unknown). */
export async function insertAdopted(db: Db, keys: ListedKey[], status: (k: ListedKey) => string, now: Date) {
  const adopted: Array<{ id: string; userId: string; name: string }> = [];
  for (const b of batches(keys)) {
    const rows = b.map((k) => ({
      user_id: k.owner,
      crs_key_id: k.id,
      name: k.name,
      description: k.description ?? '',
      status: status(k),
      limits: k.limits,
      models: k.models,
      expires_at: k.expiresAt,
      created_at: k.createdAt,
    }));
    const result = await db.execute(sql`
      insert into api_keys (user_id, crs_key_id, name, description, status, key_prefix, key_last4, limits, models,
        expires_at, created_at, updated_at, origin)
      select v.user_id, v.crs_key_id, v.name, v.description, v.status, 'cr_', '', v.limits, v.models, v.expires_at,
        v.created_at, ${iso(now)}::timestamptz, 'operator'
      from jsonb_to_recordset(${batchParam(rows)}) as v(user_id uuid, crs_key_id text, name text, description text,
        status text, limits jsonb, models jsonb, expires_at timestamptz, created_at timestamptz)
      on conflict (crs_key_id) do nothing
      returning id, user_id as "userId", name`);
    adopted.push(...rowsOf<{ id: string; userId: string; name: string }>(result));
  }
  return adopted;
}

/** The audit rows of what the sync did (no actor: the system). */
export async function writeAudits(db: Db, entries: Array<SyncAudit & { targetId: string | null }>) {
  for (const b of batches(entries)) {
    const rows = b.map((e) => ({ action: e.action, target_id: e.targetId, details: e.details }));
    await db.execute(sql`
      insert into audit_log (actor_user_id, action, target_type, target_id, details)
      select null, v.action, 'key', v.target_id, v.details
      from jsonb_to_recordset(${batchParam(rows)}) as v(action text, target_id text, details jsonb)`);
  }
}
