import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { DeliveryWithEvent } from './notify-claims.js';
import type { DeliveryState } from './notify-outbox.js';
import { rowsOf } from './raw-sql.js';

/** The delivery log (docs/decisions/030): a user's own rows, or everyone's for the admin, newest first. */

export interface LogRow extends DeliveryWithEvent {
  state: DeliveryState;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  nextAttemptAt: Date;
}

export interface LogQuery {
  userId?: string;
  state?: DeliveryState;
  page: number;
  pageSize: number;
}

export async function deliveryLog(db: Db, q: LogQuery): Promise<{ rows: LogRow[]; total: number }> {
  const where = sql.join(
    [sql`true`, ...(q.userId ? [sql`d.user_id = ${q.userId}`] : []), ...(q.state ? [sql`d.state = ${q.state}`] : [])],
    sql` and `,
  );
  const [page, count] = await Promise.all([
    db.execute(sql`
      select d.id, d.event_id as "eventId", e.kind, e.payload, e.created_at as "eventTime", d.user_id as "userId",
        u.email, p.language, d.channel_id as "channelId", d.channel_type as "channelType",
        d.channel_label as "channelLabel", d.state, d.attempts, d.last_error as "lastError",
        d.created_at as "createdAt", d.delivered_at as "deliveredAt", d.next_attempt_at as "nextAttemptAt"
      from notification_deliveries d
      join notification_events e on e.id = d.event_id
      join users u on u.id = d.user_id
      left join notification_prefs p on p.user_id = d.user_id
      where ${where}
      order by d.id desc
      limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`),
    db.execute(sql`select count(*)::int as n from notification_deliveries d where ${where}`),
  ]);
  const date = (v: string | Date) => new Date(v);
  type Raw = Omit<LogRow, 'id' | 'eventTime' | 'createdAt' | 'deliveredAt' | 'nextAttemptAt'> & {
    id: string | number;
    eventTime: string | Date;
    createdAt: string | Date;
    deliveredAt: string | Date | null;
    nextAttemptAt: string | Date;
  };
  const rows = rowsOf<Raw>(page).map((r) => ({
    ...r,
    id: Number(r.id),
    eventTime: date(r.eventTime),
    createdAt: date(r.createdAt),
    deliveredAt: r.deliveredAt === null ? null : date(r.deliveredAt),
    nextAttemptAt: date(r.nextAttemptAt),
  }));
  return { rows, total: rowsOf<{ n: number }>(count)[0].n };
}
