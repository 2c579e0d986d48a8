import { randomBytes } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { type InviteStatus, insertInvites, listInvites, revokeInvite } from '../../infra/db/repos/invites.js';
import type { Page } from '../accounts/types.js';
import { AppError, notFound } from '../errors.js';

export interface InviteView {
  code: string;
  status: InviteStatus;
  createdAt: string;
  /** The creating admin's e-mail address (null once that account is gone). */
  createdBy: string | null;
  expiresAt: string;
  usedAt: string | null;
  usedBy: string | null;
  revokedAt: string | null;
  /** The registration link, when PUBLIC_URL says where the portal lives. */
  link: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Invite codes (registration policy `invite`): each expires (INVITE_TTL_DAYS, or per request), admins list them
 * with their status and revoke unused ones. Codes are shown in full to every admin: any admin can mint new ones,
 * so hiding another admin's codes would protect nothing, and revoking needs the code.
 */
export function createInvites(deps: Deps) {
  const { db } = deps.database;
  const link = (code: string) =>
    deps.config.publicUrl ? new URL(`/register?invite=${encodeURIComponent(code)}`, deps.config.publicUrl).href : null;

  return {
    async create(actorId: string, q: { count: number; ttlDays?: number }, ip?: string) {
      const now = deps.clock();
      const ttlDays = q.ttlDays ?? deps.config.inviteTtlDays;
      const expiresAt = new Date(now.getTime() + ttlDays * DAY_MS);
      // 72 random bits: unguessable within any rate limit, short enough to read out.
      const codes = Array.from({ length: q.count }, () => randomBytes(9).toString('base64url'));
      await insertInvites(db, codes, actorId, now, expiresAt);
      await insertAudit(db, {
        actorUserId: actorId,
        action: 'invite.create',
        targetType: 'invite',
        details: { count: q.count, ttlDays },
        ip,
      });
      return { codes, expiresAt: expiresAt.toISOString(), links: codes.map(link) };
    },

    async list(q: { page: number; pageSize: number; status?: InviteStatus }): Promise<Page<InviteView>> {
      const { items, total } = await listInvites(db, q, deps.clock());
      return {
        items: items.map((r) => ({
          code: r.code,
          status: r.status,
          createdAt: r.createdAt.toISOString(),
          createdBy: r.createdBy,
          expiresAt: r.expiresAt.toISOString(),
          usedAt: r.usedAt?.toISOString() ?? null,
          usedBy: r.usedBy,
          revokedAt: r.revokedAt?.toISOString() ?? null,
          link: r.status === 'active' ? link(r.code) : null,
        })),
        page: q.page,
        pageSize: q.pageSize,
        total,
      };
    },

    /** 404 for an unknown code, 409 for a used one; revoking a revoked code again is a no-op. */
    async revoke(actorId: string, code: string, ip?: string): Promise<void> {
      const result = await revokeInvite(db, code, actorId, deps.clock());
      if (!result) throw notFound('Invite');
      if (result.used) throw new AppError('conflict', 'This invite code has been used; it cannot be revoked');
      if (result.revoked) {
        await insertAudit(db, {
          actorUserId: actorId,
          action: 'invite.revoke',
          targetType: 'invite',
          targetId: code,
          ip,
        });
      }
    },
  };
}

export type InvitesService = ReturnType<typeof createInvites>;
