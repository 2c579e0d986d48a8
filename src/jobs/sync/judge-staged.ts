import type { Db } from '../../infra/db/client.js';
import { type AuditEntry, insertAudits } from '../../infra/db/repos/audit.js';
import { judgeCandidates, revivable } from '../../infra/db/repos/sync-staged-reads.js';
import { writeKeyStates } from '../../infra/db/repos/sync-writes.js';
import { type CrsVerdict, judge, revive, type StateUpdate } from './judge.js';
import { listedOf, portalKeyState } from './plan.js';

/** Rows judged per page: the only per-key objects a cycle holds. */
const PAGE = 1000;

/**
 * The judgement of docs/decisions/011, exactly as judge.ts states it, over the rows SQL picked out (those whose
 * CRS state differs, judgeCandidates), a page at a time: first the deleted rows an operator restored, then every
 * other row. Each page's states are written onto the rows as read (`rev`) and audited before the next is read.
 */
export async function judgeStaged(
  tx: Db,
  o: { now: Date; removedKnown: boolean },
): Promise<{ users: string[]; states: number; revived: number }> {
  const users = new Set<string>();
  let states = 0;
  let revived = 0;
  const write = async (page: StateUpdate[]) => {
    states += page.length;
    const written = await writeKeyStates(tx, page, o.now);
    for (const s of written) users.add(s.userId);
    await insertAudits(
      tx,
      written.flatMap((s) => s.audits.map((a) => systemAudit({ ...a, targetId: s.id }))),
    );
    return written.length;
  };

  for (let after: string | null = null; ; ) {
    const page = await revivable(tx, { cycleStart: o.now, after, limit: PAGE });
    if (page.length === 0) break;
    revived += await write(page.map((c) => revive(portalKeyState(c.row), listedOf(c.listed), o.now)));
    after = page[page.length - 1].row.id;
  }
  for (let after: string | null = null; ; ) {
    const page = await judgeCandidates(tx, { now: o.now, removedKnown: o.removedKnown, after, limit: PAGE });
    if (page.length === 0) break;
    const judged: StateUpdate[] = [];
    for (const c of page) {
      const verdict: CrsVerdict | undefined = c.removed
        ? { removed: c.removed }
        : c.listed
          ? listedOf(c.listed)
          : undefined;
      const state = judge(portalKeyState(c.row), verdict, o.now);
      if (state) judged.push(state);
    }
    if (judged.length) await write(judged);
    after = page[page.length - 1].row.id;
  }
  return { users: [...users], states, revived };
}

/** What the sync did to a key, in the audit log: no actor (the system). */
export const systemAudit = (a: {
  action: string;
  details: Record<string, unknown>;
  targetId: string | null;
}): AuditEntry => ({
  actorUserId: null,
  action: a.action,
  targetType: 'key',
  targetId: a.targetId,
  details: a.details,
});
