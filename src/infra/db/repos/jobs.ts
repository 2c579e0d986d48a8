import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { jobState } from '../schema.js';
import { rowsOf } from './raw-sql.js';

/**
 * SQL of the background jobs: each job's last run (`job_state`, read by the admin overview and every stats
 * answer's freshness), the leader lease and the shared schedule (`job_leases`, docs/decisions/016-leader-lease.md).
 * Every lease statement is one atomic step, judged by PostgreSQL's clock (`now()`), never by an instance's.
 */

export interface JobRow {
  name: string;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastFullAt: Date | null;
  lastDurationMs: number | null;
  lastError: string | null;
  keysUpdated: number | null;
  runs: number;
  failures: number;
  /** The usage sync's last cycle that read CRS's lifetime totals (docs/decisions/032). */
  lastTotalsAt: Date | null;
  /** The next usage sync must read them. */
  totalsDue: boolean;
}

export async function readJob(db: Db, name: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobState).where(eq(jobState.name, name));
  return row;
}

/** Records one run of a job in the shared state row (visible to every instance and the admin overview). */
export async function recordRun(
  db: Db,
  name: string,
  run: {
    at: Date;
    durationMs: number;
    error?: string;
    keysUpdated?: number;
    full?: boolean;
    /** The usage sync: it read usage-stats, and whether its next cycle must. */
    totals?: { read: boolean; due: boolean };
  },
): Promise<void> {
  const ok = run.error === undefined;
  const totalsRead = ok && run.totals?.read === true;
  await db
    .insert(jobState)
    .values({
      name,
      lastRunAt: run.at,
      lastSuccessAt: ok ? run.at : null,
      lastFullAt: ok && run.full ? run.at : null,
      lastDurationMs: Math.round(run.durationMs),
      lastError: run.error ?? null,
      keysUpdated: run.keysUpdated ?? null,
      runs: 1,
      failures: ok ? 0 : 1,
      lastTotalsAt: totalsRead ? run.at : null,
      totalsDue: ok ? (run.totals?.due ?? false) : false,
    })
    .onConflictDoUpdate({
      target: jobState.name,
      set: {
        lastRunAt: run.at,
        lastSuccessAt: ok ? run.at : sql`${jobState.lastSuccessAt}`,
        lastFullAt: ok && run.full ? run.at : sql`${jobState.lastFullAt}`,
        lastDurationMs: Math.round(run.durationMs),
        lastError: run.error ?? null,
        keysUpdated: run.keysUpdated ?? sql`${jobState.keysUpdated}`,
        runs: sql`${jobState.runs} + 1`,
        failures: ok ? sql`${jobState.failures}` : sql`${jobState.failures} + 1`,
        lastTotalsAt: totalsRead ? run.at : sql`${jobState.lastTotalsAt}`,
        totalsDue: ok ? (run.totals?.due ?? false) : sql`${jobState.totalsDue}`,
      },
    });
}

/** The lease's row in job_leases; job rows use the job's name. */
export const LEADER_ROW = 'leader';

/**
 * Takes the lease when it is free or expired, or renews it when we hold it; `force` takes it whoever holds it
 * (the embedded database has one process only). Returns when the lease ends, or undefined when another holds it.
 */
export async function acquireLease(db: Db, holder: string, leaseMs: number, force: boolean): Promise<Date | undefined> {
  const result = await db.execute(sql`
    insert into job_leases as l (name, holder, lease_until)
    values (${LEADER_ROW}, ${holder}, now() + make_interval(secs => ${leaseMs / 1000}::float8))
    on conflict (name) do update set holder = excluded.holder, lease_until = excluded.lease_until
      where ${force}::boolean or l.holder = ${holder} or l.lease_until is null or l.lease_until < now()
    returning lease_until as "leaseUntil"`);
  const [row] = rowsOf<{ leaseUntil: string | Date }>(result);
  return row ? new Date(row.leaseUntil) : undefined;
}

/** Gives the lease up (a clean stop), so another instance takes over at its next tick instead of at expiry. */
export async function releaseLease(db: Db, holder: string): Promise<void> {
  await db.execute(sql`
    update job_leases set lease_until = null where name = ${LEADER_ROW} and holder = ${holder}`);
}

/**
 * Claims the job's run if `holder` holds a live lease and the job is due, and moves next_run_at to the next slot
 * of the grid in the same statement: exactly one instance gets each slot, and slots missed while no leader ran
 * are skipped (one run, not a burst). A next_run_at more than one interval ahead was set under a longer
 * interval: it is due now. The first claim of a new job is due at once. Returns the next run, or undefined.
 */
export async function claimRun(db: Db, job: string, holder: string, intervalMs: number): Promise<Date | undefined> {
  const secs = sql`${intervalMs / 1000}::float8`;
  const result = await db.execute(sql`
    with leader as (
      select 1 from job_leases where name = ${LEADER_ROW} and holder = ${holder} and lease_until > now()
    )
    insert into job_leases as j (name, holder, next_run_at)
    select ${job}::text, ${holder}::text, now() + make_interval(secs => ${secs}) from leader
    on conflict (name) do update set
      holder = excluded.holder,
      next_run_at = case
        when j.next_run_at is null or j.next_run_at > now() + make_interval(secs => ${secs})
          then now() + make_interval(secs => ${secs})
        else j.next_run_at
          + make_interval(secs => ${secs} * (floor(extract(epoch from now() - j.next_run_at) / ${secs}) + 1))
      end
      where j.next_run_at is null or j.next_run_at <= now() or j.next_run_at > now() + make_interval(secs => ${secs})
    returning next_run_at as "nextRunAt"`);
  const [row] = rowsOf<{ nextRunAt: string | Date }>(result);
  return row ? new Date(row.nextRunAt) : undefined;
}

/** Who holds the lease now (null when nobody does), for health details. */
export async function leaseHolder(db: Db): Promise<string | null> {
  const result = await db.execute(sql`
    select holder from job_leases where name = ${LEADER_ROW} and lease_until > now()`);
  return rowsOf<{ holder: string }>(result)[0]?.holder ?? null;
}
