import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { notificationChannels, notificationPrefs } from '../schema.js';
import { rowsOf } from './raw-sql.js';

/** SQL of notification preferences and channels (docs/decisions/030). */

export interface ChannelRow {
  id: string;
  userId: string;
  type: string;
  label: string;
  target: Record<string, string> | null;
  events: string[] | null;
  status: 'active' | 'paused';
  failures: number;
  pausedAt: Date | null;
  pauseReason: string | null;
  verifiedAt: Date | null;
  createdAt: Date;
}

export interface PrefsRow {
  language: 'en' | 'zh-CN' | null;
  digest: boolean | null;
  digestHour: number | null;
}

const channelColumns = {
  id: notificationChannels.id,
  userId: notificationChannels.userId,
  type: notificationChannels.type,
  label: notificationChannels.label,
  target: notificationChannels.target,
  events: notificationChannels.events,
  status: notificationChannels.status,
  failures: notificationChannels.failures,
  pausedAt: notificationChannels.pausedAt,
  pauseReason: notificationChannels.pauseReason,
  verifiedAt: notificationChannels.verifiedAt,
  createdAt: notificationChannels.createdAt,
};

/** The account e-mail channel of each user given (or of every active admin), made where missing. */
export async function ensureEmailChannels(db: Db, who: { userIds: string[] } | 'admins'): Promise<void> {
  const users =
    who === 'admins'
      ? sql`select id from users where role = 'admin' and status = 'active'`
      : sql`select (jsonb_array_elements_text(${JSON.stringify(who.userIds)}::jsonb))::uuid`;
  await db.execute(sql`
    insert into notification_channels (user_id, type)
    select id, 'email' from (${users}) as u(id)
    on conflict (user_id) where type = 'email' do nothing`);
}

export async function channelsOf(db: Db, userId: string): Promise<ChannelRow[]> {
  return db
    .select(channelColumns)
    .from(notificationChannels)
    .where(eq(notificationChannels.userId, userId))
    .orderBy(asc(notificationChannels.createdAt), asc(notificationChannels.id));
}

export async function countChannels(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notificationChannels)
    .where(eq(notificationChannels.userId, userId));
  return row.n;
}

export async function findChannel(db: Db, userId: string, id: string): Promise<ChannelRow | undefined> {
  const [row] = await db
    .select(channelColumns)
    .from(notificationChannels)
    .where(and(eq(notificationChannels.id, id), eq(notificationChannels.userId, userId)));
  return row;
}

export async function insertChannel(
  db: Db,
  c: { userId: string; type: string; label: string; target: Record<string, string>; events: string[] },
  now: Date,
): Promise<ChannelRow> {
  const [row] = await db
    .insert(notificationChannels)
    .values({ ...c, createdAt: now, updatedAt: now })
    .returning(channelColumns);
  return row;
}

export async function updateChannel(
  db: Db,
  id: string,
  patch: { label?: string; events?: string[] | null; target?: Record<string, string> },
  now: Date,
): Promise<ChannelRow | undefined> {
  const [row] = await db
    .update(notificationChannels)
    .set({ ...patch, updatedAt: now })
    .where(eq(notificationChannels.id, id))
    .returning(channelColumns);
  return row;
}

/** A delivered test message: the channel works, so it is verified and active again. */
export async function markVerified(db: Db, id: string, now: Date): Promise<void> {
  await db
    .update(notificationChannels)
    .set({ verifiedAt: now, status: 'active', failures: 0, pausedAt: null, pauseReason: null, updatedAt: now })
    .where(eq(notificationChannels.id, id));
}

export async function deleteChannel(db: Db, id: string): Promise<void> {
  await db.delete(notificationChannels).where(eq(notificationChannels.id, id));
}

export async function prefsOf(db: Db, userId: string): Promise<PrefsRow | undefined> {
  const [row] = await db
    .select({
      language: notificationPrefs.language,
      digest: notificationPrefs.digest,
      digestHour: notificationPrefs.digestHour,
    })
    .from(notificationPrefs)
    .where(eq(notificationPrefs.userId, userId));
  return row;
}

export async function upsertPrefs(db: Db, userId: string, patch: Partial<PrefsRow>, now: Date): Promise<void> {
  await db
    .insert(notificationPrefs)
    .values({ userId, ...patch, updatedAt: now })
    .onConflictDoUpdate({ target: notificationPrefs.userId, set: { ...patch, updatedAt: now } });
}

/** What the outbox needs of each recipient: the account, the preferences and every channel. */
export interface RecipientRow {
  userId: string;
  role: 'user' | 'admin';
  language: 'en' | 'zh-CN' | null;
  digest: boolean | null;
  digestHour: number | null;
  channelId: string | null;
  channelType: string | null;
  channelLabel: string | null;
  channelEvents: string[] | null;
  channelStatus: string | null;
}

/** Active recipients (the users given, or every active admin), one row per channel (or one without any). */
export async function recipients(db: Db, who: { userIds: string[] } | 'admins'): Promise<RecipientRow[]> {
  const filter =
    who === 'admins'
      ? sql`u.role = 'admin'`
      : sql`u.id in (select (jsonb_array_elements_text(${JSON.stringify(who.userIds)}::jsonb))::uuid)`;
  const result = await db.execute(sql`
    select u.id as "userId", u.role, p.language, p.digest, p.digest_hour as "digestHour", c.id as "channelId",
      c.type as "channelType", c.label as "channelLabel", c.events as "channelEvents", c.status as "channelStatus"
    from users u
    left join notification_prefs p on p.user_id = u.id
    left join notification_channels c on c.user_id = u.id
    where u.status = 'active' and ${filter}
    order by u.id, c.created_at, c.id`);
  return rowsOf(result);
}

/** The user of an unsubscribe link's channel, and the channel's kind. */
export async function channelOwner(
  db: Db,
  id: string,
): Promise<{ userId: string; type: string; email: string; language: string | null } | undefined> {
  const result = await db.execute(sql`
    select c.user_id as "userId", c.type, u.email, p.language
    from notification_channels c join users u on u.id = c.user_id
    left join notification_prefs p on p.user_id = c.user_id
    where c.id = ${id}`);
  return rowsOf<{ userId: string; type: string; email: string; language: string | null }>(result)[0];
}
