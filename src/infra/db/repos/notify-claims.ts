import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { iso, rowsOf } from './raw-sql.js';

/**
 * The delivery job's statements (docs/decisions/030). A due row is claimed with `for update skip locked` and a
 * lease by PostgreSQL's clock: two instances never claim the same row, and a row whose claimer died is taken over
 * once its lease is over. Outcomes are written only by the claim's holder.
 */

/** A delivery row with its event and recipient: what the delivery job and the delivery log both read. */
export interface DeliveryWithEvent {
  id: number;
  attempts: number;
  eventId: string;
  kind: string;
  payload: Record<string, unknown>;
  eventTime: Date;
  userId: string;
  email: string;
  language: string | null;
  channelId: string | null;
  channelType: string;
  channelLabel: string;
}

/** A claimed delivery with all it takes to render and send it. */
export interface ClaimedDelivery extends DeliveryWithEvent {
  channelStatus: string | null;
  target: Record<string, string> | null;
}

export async function claimDue(
  db: Db,
  holder: string,
  now: Date,
  opts: { limit: number; leaseMs: number },
): Promise<ClaimedDelivery[]> {
  const result = await db.execute(sql`
    with due as (
      select id from notification_deliveries
      where state in ('pending', 'sending') and next_attempt_at <= ${iso(now)}::timestamptz
        and (state = 'pending' or claimed_until < now())
      order by next_attempt_at
      limit ${opts.limit}
      for update skip locked
    ), claimed as (
      update notification_deliveries d set state = 'sending', claimed_by = ${holder},
        claimed_until = now() + make_interval(secs => ${opts.leaseMs / 1000}::float8),
        attempts = d.attempts + 1, updated_at = ${iso(now)}::timestamptz
      from due where d.id = due.id
      returning d.id, d.attempts, d.event_id, d.user_id, d.channel_id, d.channel_type, d.channel_label
    )
    select c.id, c.attempts, c.event_id as "eventId", e.kind, e.payload, e.created_at as "eventTime",
      c.user_id as "userId", u.email, p.language, c.channel_id as "channelId", c.channel_type as "channelType",
      c.channel_label as "channelLabel", ch.status as "channelStatus", ch.target
    from claimed c
    join notification_events e on e.id = c.event_id
    join users u on u.id = c.user_id
    left join notification_prefs p on p.user_id = c.user_id
    left join notification_channels ch on ch.id = c.channel_id
    order by c.id`);
  return rowsOf<ClaimedDelivery & { id: string | number; eventTime: string | Date }>(result).map((r) => ({
    ...r,
    id: Number(r.id),
    eventTime: new Date(r.eventTime),
  }));
}

export interface DeliveryOutcome {
  state: 'delivered' | 'pending' | 'failed' | 'cancelled';
  nextAttemptAt?: Date;
  error?: string | null;
}

/** Writes a claimed row's outcome; false when the claim was lost (its lease ran out and another took it). */
export async function completeDelivery(
  tx: Db,
  id: number,
  holder: string,
  outcome: DeliveryOutcome,
  now: Date,
): Promise<boolean> {
  const result = await tx.execute(sql`
    update notification_deliveries set state = ${outcome.state},
      next_attempt_at = coalesce(${iso(outcome.nextAttemptAt ?? null)}::timestamptz, next_attempt_at),
      last_error = ${outcome.error ?? null},
      delivered_at = case when ${outcome.state} = 'delivered' then ${iso(now)}::timestamptz else delivered_at end,
      claimed_by = null, claimed_until = null, updated_at = ${iso(now)}::timestamptz
    where id = ${id} and state = 'sending' and claimed_by = ${holder}
    returning id`);
  return rowsOf(result).length === 1;
}

/**
 * Counts an attempt against its channel (decision 023: a success resets the run, a failure of the operator's own
 * service leaves it) and answers the run and the channel's status.
 */
export async function recordChannelAttempt(
  tx: Db,
  channelId: string,
  outcome: 'ok' | 'channel' | 'service',
  now: Date,
): Promise<{ failures: number; status: string } | undefined> {
  const result = await tx.execute(sql`
    update notification_channels set
      failures = case ${outcome} when 'ok' then 0 when 'service' then failures else failures + 1 end,
      updated_at = ${iso(now)}::timestamptz
    where id = ${channelId}
    returning failures, status`);
  return rowsOf<{ failures: number; status: string }>(result)[0];
}

/** Pauses an active channel; true only for the caller that paused it (so one notice is raised). */
export async function pauseChannel(tx: Db, channelId: string, reason: string, now: Date): Promise<boolean> {
  const result = await tx.execute(sql`
    update notification_channels set status = 'paused', paused_at = ${iso(now)}::timestamptz,
      pause_reason = ${reason}, updated_at = ${iso(now)}::timestamptz
    where id = ${channelId} and status = 'active'
    returning id`);
  return rowsOf(result).length === 1;
}

/** Channels with held rows whose digest is due. */
export async function dueDigests(db: Db, now: Date, limit: number): Promise<Array<{ channelId: string }>> {
  const result = await db.execute(sql`
    select distinct channel_id as "channelId" from notification_deliveries
    where state = 'held' and next_attempt_at <= ${iso(now)}::timestamptz and channel_id is not null
    limit ${limit}`);
  return rowsOf(result);
}

/** Locks a channel's due held rows (skipping rows another instance holds) and answers them. */
export async function takeHeld(
  tx: Db,
  channelId: string,
  now: Date,
): Promise<Array<{ id: number; eventId: string; userId: string; channelType: string; channelLabel: string }>> {
  const result = await tx.execute(sql`
    select id, event_id as "eventId", user_id as "userId", channel_type as "channelType",
      channel_label as "channelLabel"
    from notification_deliveries
    where channel_id = ${channelId} and state = 'held' and next_attempt_at <= ${iso(now)}::timestamptz
    order by id
    for update skip locked`);
  return rowsOf<{ id: string | number; eventId: string; userId: string; channelType: string; channelLabel: string }>(
    result,
  ).map((r) => ({ ...r, id: Number(r.id) }));
}

export async function markDigested(tx: Db, ids: number[], digestId: string, now: Date): Promise<void> {
  await tx.execute(sql`
    update notification_deliveries set state = 'digested', digest_id = ${digestId},
      updated_at = ${iso(now)}::timestamptz
    where id in (select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::bigint)`);
}

/** The events a digest carries, oldest first. */
export async function eventsByIds(
  db: Db,
  ids: string[],
): Promise<Array<{ id: string; kind: string; payload: Record<string, unknown>; createdAt: Date }>> {
  const result = await db.execute(sql`
    select id, kind, payload, created_at as "createdAt" from notification_events
    where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
    order by created_at, id`);
  return rowsOf<{ id: string; kind: string; payload: Record<string, unknown>; createdAt: string | Date }>(result).map(
    (r) => ({ ...r, createdAt: new Date(r.createdAt) }),
  );
}

/** Old log rows (and their deliveries, by cascade) and marks whose period is over; bounded per call. */
export async function purgeOld(db: Db, eventsBefore: Date, now: Date): Promise<{ events: number; marks: number }> {
  const events = await db.execute(sql`
    delete from notification_events where id in (
      select id from notification_events where created_at < ${iso(eventsBefore)}::timestamptz limit 1000)
    returning id`);
  const marks = await db.execute(sql`
    delete from notification_marks where subject in (
      select subject from notification_marks where expires_at < ${iso(now)}::timestamptz limit 1000)
    returning subject`);
  return { events: rowsOf(events).length, marks: rowsOf(marks).length };
}
