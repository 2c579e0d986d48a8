import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { batches, batchParam } from './raw-sql.js';

export interface AuditEntry {
  /** Null for actions without a signed-in actor (e.g. the system, or a registration before the user exists). */
  actorUserId: string | null;
  /** `<entity>.<verb>`, e.g. `user.login`, `session.revoke`, `key.create`. */
  action: string;
  targetType: 'user' | 'session' | 'key' | 'invite' | 'cache' | 'system' | 'token' | 'sso';
  targetId?: string | null;
  /** What changed, for a person reading the log. Never a password, token, `cr_` key or hash of one. */
  details?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Appends one row to `audit_log`. Pass the transaction when the action is transactional, so the row commits
 * (or rolls back) with what it records.
 */
export function insertAudit(db: Db, e: AuditEntry): Promise<void> {
  return insertAudits(db, [e]);
}

/** Many rows, one statement per batch (what the sync did to thousands of keys). */
export async function insertAudits(db: Db, entries: AuditEntry[]): Promise<void> {
  for (const b of batches(entries)) {
    const rows = b.map((e) => ({
      actor_user_id: e.actorUserId,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId ?? null,
      details: e.details ?? null,
      ip: e.ip ?? null,
    }));
    await db.execute(sql`
      insert into audit_log (actor_user_id, action, target_type, target_id, details, ip)
      select v.actor_user_id, v.action, v.target_type, v.target_id, v.details, v.ip
      from jsonb_to_recordset(${batchParam(rows)}) as v(actor_user_id uuid, action text, target_type text,
        target_id text, details jsonb, ip text)`);
  }
}
