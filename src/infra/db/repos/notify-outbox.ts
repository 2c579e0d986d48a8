import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { batches, batchParam, iso, rowsOf } from './raw-sql.js';

/**
 * The outbox's writes (docs/decisions/029, 030): marks that make an event once only, the event rows and their
 * delivery rows — written together in the caller's transaction — and the delivery job's claims and outcomes.
 */

export interface MarkInput {
  subject: string;
  level: number;
  /** A raise is held back until then (the cool-down); the raise's own time when there is none. */
  quietUntil: Date;
  expiresAt: Date | null;
}

/**
 * Raises each subject to its level where the stored level is lower and the cool-down is over; answers the subjects
 * raised now. One statement: two instances writing the same mark cannot both see it raised.
 */
export async function raiseMarks(tx: Db, marks: MarkInput[], now: Date): Promise<Set<string>> {
  const raised = new Set<string>();
  // One lock order for every writer: two instances raising overlapping marks wait for each other, never deadlock.
  const sorted = [...marks].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
  for (const b of batches(sorted)) {
    const rows = b.map((m) => ({
      subject: m.subject,
      level: m.level,
      quiet_until: m.quietUntil.toISOString(),
      expires_at: iso(m.expiresAt),
    }));
    const result = await tx.execute(sql`
      insert into notification_marks as m (subject, level, raised_at, quiet_until, expires_at)
      select v.subject, v.level, ${iso(now)}::timestamptz, v.quiet_until, v.expires_at
      from jsonb_to_recordset(${batchParam(rows)}) as v(subject text, level bigint, quiet_until timestamptz,
        expires_at timestamptz)
      on conflict (subject) do update set
        level = excluded.level, raised_at = excluded.raised_at, quiet_until = excluded.quiet_until,
        expires_at = excluded.expires_at
      where m.level < excluded.level and (m.quiet_until is null or m.quiet_until <= excluded.raised_at)
      returning subject`);
    for (const r of rowsOf<{ subject: string }>(result)) raised.add(r.subject);
  }
  return raised;
}

/** A condition that stopped: its next start is a new crossing (subject to the cool-down). */
export async function lowerMarks(db: Db, subjects: string[]): Promise<void> {
  if (!subjects.length) return;
  await db.execute(sql`
    update notification_marks set level = 0
    where subject in (select jsonb_array_elements_text(${JSON.stringify(subjects)}::jsonb)) and level > 0`);
}

export interface EventInsert {
  id: string;
  kind: string;
  audience: 'user' | 'admin';
  userId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'failed' | 'held' | 'digested' | 'cancelled';

export interface DeliveryInsert {
  eventId: string;
  userId: string;
  channelId: string;
  channelType: string;
  channelLabel: string;
  state: DeliveryState;
  nextAttemptAt: Date;
  attempts?: number;
  lastError?: string | null;
  deliveredAt?: Date | null;
}

export async function insertEvents(tx: Db, events: EventInsert[]): Promise<void> {
  for (const b of batches(events, 1000)) {
    const rows = b.map((e) => ({
      id: e.id,
      kind: e.kind,
      audience: e.audience,
      user_id: e.userId,
      payload: e.payload,
      created_at: e.createdAt.toISOString(),
    }));
    await tx.execute(sql`
      insert into notification_events (id, kind, audience, user_id, payload, created_at)
      select v.id, v.kind, v.audience, v.user_id, v.payload, v.created_at
      from jsonb_to_recordset(${batchParam(rows)}) as v(id text, kind text, audience text, user_id uuid,
        payload jsonb, created_at timestamptz)`);
  }
}

export async function insertDeliveries(tx: Db, deliveries: DeliveryInsert[], now: Date): Promise<number[]> {
  const ids: number[] = [];
  for (const b of batches(deliveries, 1000)) {
    const rows = b.map((d) => ({
      event_id: d.eventId,
      user_id: d.userId,
      channel_id: d.channelId,
      channel_type: d.channelType,
      channel_label: d.channelLabel,
      state: d.state,
      next_attempt_at: d.nextAttemptAt.toISOString(),
      attempts: d.attempts ?? 0,
      last_error: d.lastError ?? null,
      delivered_at: iso(d.deliveredAt ?? null),
    }));
    const result = await tx.execute(sql`
      insert into notification_deliveries (event_id, user_id, channel_id, channel_type, channel_label, state,
        next_attempt_at, attempts, last_error, delivered_at, created_at, updated_at)
      select v.event_id, v.user_id, v.channel_id, v.channel_type, v.channel_label, v.state, v.next_attempt_at,
        v.attempts, v.last_error, v.delivered_at, ${iso(now)}::timestamptz, ${iso(now)}::timestamptz
      from jsonb_to_recordset(${batchParam(rows)}) as v(event_id text, user_id uuid, channel_id uuid,
        channel_type text, channel_label text, state text, next_attempt_at timestamptz, attempts int,
        last_error text, delivered_at timestamptz)
      returning id`);
    for (const r of rowsOf<{ id: string | number }>(result)) ids.push(Number(r.id));
  }
  return ids;
}

/** Pending or held rows of a channel that will not be sent (the channel was paused, deleted or turned off). */
export async function cancelDeliveries(db: Db, channelId: string, reason: string, now: Date): Promise<number> {
  const result = await db.execute(sql`
    update notification_deliveries set state = 'cancelled', last_error = ${reason}, updated_at = ${iso(now)}::timestamptz
    where channel_id = ${channelId} and state in ('pending', 'held')
    returning id`);
  return rowsOf(result).length;
}

/** Held rows go out now (their owner turned the digest off). */
export async function releaseHeld(db: Db, userId: string, now: Date): Promise<void> {
  await db.execute(sql`
    update notification_deliveries set state = 'pending', next_attempt_at = ${iso(now)}::timestamptz,
      updated_at = ${iso(now)}::timestamptz
    where user_id = ${userId} and state = 'held'`);
}
