import type { Deps } from '../../deps.js';
import {
  keysExpiringBetween,
  lockAuditCursor,
  moveAuditCursor,
  type OperatorChangeRow,
  operatorChangesAfter,
} from '../../infra/db/repos/notify-detect.js';
import type { LimitField } from '../keys/types.js';
import { toMicros } from '../money.js';
import type { LimitUsageSource } from './limit-usage.js';
import type { ChangeableLimit, LimitChange } from './messages/index.js';
import type { Outbox } from './outbox.js';
import { EXPIRED_NOTICE_MS, expiryEvent, usageEvent } from './rules.js';
import type { RaisedEvent } from './types.js';

const PAGE = 1000;
const AUDIT_PAGE = 500;
const DAY_MS = 86_400_000;

/** CRS's limit fields as the messages name them (docs/webhooks.md §3). */
const LIMIT_NAMES: Record<LimitField, ChangeableLimit> = {
  dailyCostLimit: 'daily_cost',
  totalCostLimit: 'total_cost',
  weeklyOpusCostLimit: 'weekly_opus_cost',
  rateLimitCost: 'window_cost',
  tokenLimit: 'window_tokens',
  rateLimitRequests: 'window_requests',
  concurrencyLimit: 'concurrency',
  rateLimitWindow: 'rate_window',
};
const LIMIT_FIELD_OF = new Map(Object.keys(LIMIT_NAMES).map((f) => [`limits.${f}`, f as LimitField]));
const COSTS = new Set<LimitField>(['dailyCostLimit', 'totalCostLimit', 'weeklyOpusCostLimit', 'rateLimitCost']);

/**
 * The key events a sync can reveal (issue 14), raised by the sync leader after each cycle's transaction: limits
 * crossed, expiry steps, and what the operator changed (read from the `key.operator_change` rows the sync
 * audited, docs/decisions/011). Each read is paged; each page goes into the outbox on its own.
 */
export function createKeyEvents(
  deps: Pick<Deps, 'database' | 'clock' | 'config'>,
  outbox: Outbox,
  usage: LimitUsageSource,
) {
  const { db } = deps.database;

  async function thresholds(now: Date): Promise<number> {
    let raised = 0;
    let after: string | null = null;
    do {
      const page = await usage.atLeast({ minRatio: 0.5, now, after, pageSize: PAGE });
      raised += await outbox.raise(page.items.flatMap((u) => usageEvent(u) ?? []));
      after = page.last;
    } while (after);
    return raised;
  }

  async function expiries(now: Date): Promise<number> {
    let raised = 0;
    let after: string | null = null;
    const from = new Date(now.getTime() - EXPIRED_NOTICE_MS);
    const to = new Date(now.getTime() + 7 * DAY_MS);
    for (;;) {
      const rows = await keysExpiringBetween(db, { from, to, afterId: after, limit: PAGE });
      const items = rows.flatMap(
        (r) => expiryEvent({ keyId: r.id, userId: r.userId, keyName: r.name, expiresAt: r.expiresAt }, now) ?? [],
      );
      raised += await outbox.raise(items);
      if (rows.length < PAGE) return raised;
      after = rows[rows.length - 1].id;
    }
  }

  /** The audit rows after the cursor and the cursor's move are one transaction with their events. */
  async function operatorChanges(now: Date): Promise<number> {
    let raised = 0;
    for (;;) {
      const page = await deps.database.transaction(async (tx) => {
        const cursor = await lockAuditCursor(tx);
        const { rows, newest } = await operatorChangesAfter(tx, cursor, AUDIT_PAGE);
        const raised = rows.flatMap((r) => operatorEvents(r, deps.config.notify.cooldownMs, now));
        const events = await outbox.raiseIn(tx, raised);
        if (newest > cursor) await moveAuditCursor(tx, newest, now);
        return { rows: rows.length, events: events.length };
      });
      raised += page.events;
      if (page.rows < AUDIT_PAGE) return raised;
    }
  }

  return {
    /** Every detection after a sync cycle; what one part raised stays raised if a later part fails. */
    async afterSync(): Promise<{ raised: number }> {
      const now = deps.clock();
      const raised = (await thresholds(now)) + (await expiries(now)) + (await operatorChanges(now));
      return { raised };
    },
  };
}

/**
 * A disable (a tightening the operator holds, decision 011) and changed limits, from one audited change. A key
 * disabled again within the cool-down is not announced again (it flapped); changed limits always are (they carry
 * new values).
 */
export function operatorEvents(r: OperatorChangeRow, cooldownMs: number, now: Date): RaisedEvent[] {
  const key = { id: r.keyId, name: r.name };
  const out: RaisedEvent[] = [];
  if (r.changes.status?.to === 'disabled') {
    out.push({
      event: { kind: 'key_disabled', key },
      userId: r.userId,
      // The mark only keeps the cool-down: a later audit row always has a higher id.
      mark: {
        subject: `disabled:${r.keyId}`,
        level: r.auditId,
        cooldownMs,
        expiresAt: new Date(now.getTime() + cooldownMs + DAY_MS),
      },
    });
  }
  const changes: LimitChange[] = [];
  for (const [path, change] of Object.entries(r.changes)) {
    const field = LIMIT_FIELD_OF.get(path);
    if (!field) continue;
    const amount = (v: unknown) => (COSTS.has(field) ? toMicros(Number(v) || 0) : Number(v) || 0);
    changes.push({ limit: LIMIT_NAMES[field], from: amount(change.from), to: amount(change.to) });
  }
  if (changes.length) out.push({ event: { kind: 'key_limits_changed', key, changes }, userId: r.userId });
  return out;
}
