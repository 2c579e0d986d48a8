import type { Db } from '../infra/db/client.js';
import { auditLog } from '../infra/db/schema.js';

export interface AuditEntry {
  /** Null for actions without a signed-in actor (e.g. the system, or a registration before the user exists). */
  actorUserId: string | null;
  /** `<entity>.<verb>`, e.g. `user.login`, `session.revoke`, `key.create`. */
  action: string;
  targetType: 'user' | 'session' | 'key' | 'invite' | 'cache' | 'system';
  targetId?: string | null;
  /** What changed, for a person reading the log. Never a password, token, `cr_` key or hash of one. */
  details?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * Appends one row to `audit_log`. Pass the transaction when the action is transactional, so the row commits
 * (or rolls back) with what it records.
 */
export async function audit(db: Db, e: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: e.actorUserId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? null,
    details: e.details ?? null,
    ip: e.ip ?? null,
  });
}
