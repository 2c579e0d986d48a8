import type { Deps } from '../../deps.js';
import { isAppError } from '../../domain/errors.js';
import type { KeysService } from '../../domain/keys/index.js';
import { type FreshnessSource, USAGE_SYNC_JOB } from '../../domain/usage/freshness.js';
import type { StatsService } from '../../domain/usage/index.js';
import type { Session } from '../../infra/db/client.js';
import { databaseFailureCause, failureMessage } from '../../infra/db/diagnose.js';
import { type JobRow, readJob, recordRun } from '../../infra/db/repos/jobs.js';
import type { ScheduledJob } from '../lease.js';
import { runSync } from './run-sync.js';
import { settle } from './settle.js';
import { runSteps } from './steps.js';
import { readsTotals } from './totals-policy.js';

/** Advisory lock id of the usage sync: with several portal processes exactly one syncs at a time. */
export const SYNC_LOCK_ID = 0x6b70_0001;
const DAY_MS = 86_400_000;
const WARM_MAX_USERS = 200;
const WARM_CONCURRENCY = 4;

export interface SyncReport {
  ok: boolean;
  full: boolean;
  durationMs: number;
  keys: number;
  keysUpdated: number;
  usersChanged: number;
  /** CRS calls the cycle made (list pages, trend, usage-stats when read, searches). */
  crsCalls?: number;
  /** Whether it read CRS's lifetime totals (else they grew by the trend, docs/decisions/032). */
  totalsRead?: boolean;
  error?: string;
  /** The error's code when it was the portal's own (`upstream_unavailable`: CRS did not answer). */
  errorCode?: string;
}

export type SyncJob = ReturnType<typeof createSyncJob>;

/** The read models a sync refreshes: freshness is reset after each run, the changed users' hot views warmed. */
export interface SyncViews {
  freshness: Pick<FreshnessSource, 'reset'>;
  stats: Pick<StatsService, 'usageJson' | 'leaderboardJson' | 'summaryJson'>;
  keys: Pick<KeysService, 'listJson'>;
}

/** Steps of their own that run after each cycle, outside its transaction and lock (notify-step.ts). */
export interface SyncSteps {
  afterCycle?: (report: SyncReport, failuresInARow: number) => Promise<void>;
}

/**
 * The usage sync: run every SYNC_INTERVAL by the leader (jobs/lease.ts), then invalidates exactly the users whose
 * numbers changed and warms their hot views, and settles undelivered creates and suspended keys.
 */
export function createSyncJob(deps: Deps, views: SyncViews, steps: SyncSteps = {}) {
  const { db } = deps.database;
  let current: Promise<SyncReport | undefined> | undefined;
  let currentFull = false;
  /** Whether the running cycle has begun reading CRS: an ask from then on may want what it has already read. */
  let currentReading = false;
  /** The full cycle asked while another was past its start: one, shared by every such ask until it starts. */
  let queuedFull: Promise<SyncReport | undefined> | undefined;
  /** Failed runs in a row in this process: known even when the job's row cannot be read (database down). */
  let failuresInARow = 0;

  async function cycle(forceFull: boolean, session: Session): Promise<SyncReport> {
    const at = deps.clock();
    const started = performance.now();
    const prev = await readJob(db, USAGE_SYNC_JOB);
    const full = forceFull || !prev?.lastFullAt || at.getTime() - prev.lastFullAt.getTime() >= DAY_MS;
    const readTotals = readsTotals(prev, at, full, {
      intervalMs: deps.config.syncTotalsIntervalSec * 1000,
      timezoneOffset: deps.config.crs.timezoneOffset,
      readWithinMs: deps.config.crs.syncTimeoutMs,
    });
    try {
      currentReading = true;
      const out = await runSync(deps, session, { full, readTotals });
      // The hourly history, limit figures and models: separate, bounded steps that never fail the cycle (steps.ts).
      const stepsFrom = performance.now();
      for (const u of (await runSteps(deps, full)).changedUsers) out.changedUsers.add(u);
      const durationMs = performance.now() - started;
      const phases = { ...out.phases, steps: Math.round(performance.now() - stepsFrom) };
      for (const [phase, ms] of Object.entries(phases)) deps.metrics.syncPhase.observe({ phase }, ms / 1000);
      await recordRun(db, USAGE_SYNC_JOB, {
        at,
        durationMs,
        keysUpdated: out.keysUpdated,
        full,
        totals: { read: out.totalsRead, due: out.totalsDue },
      });
      deps.metrics.syncRuns.inc({ outcome: 'ok' });
      deps.metrics.syncDuration.observe(durationMs / 1000);
      deps.metrics.syncLastSuccess.set(at.getTime() / 1000);
      views.freshness.reset();
      await invalidate(out.changedUsers);
      // Undelivered creates and suspended keys, every cycle, outside the transaction (docs/decisions/010).
      await settle(deps, out.settle).catch((err: Error) =>
        deps.logger.warn({ err: err.message }, 'sync: settlement left for the next cycle'),
      );
      await warm([...out.changedUsers].slice(0, WARM_MAX_USERS));
      const report = {
        ok: true,
        full,
        durationMs,
        keys: out.keys,
        keysUpdated: out.keysUpdated,
        usersChanged: out.changedUsers.size,
        crsCalls: out.crsCalls,
        totalsRead: out.totalsRead,
      };
      deps.logger.info({ ...report, phases }, 'usage sync done');
      return report;
    } catch (e) {
      const durationMs = performance.now() - started;
      const error = failureMessage(e);
      const errorCode = isAppError(e) ? e.code : undefined;
      deps.metrics.syncRuns.inc({ outcome: 'error' });
      deps.logger.warn({ error, durationMs }, 'usage sync failed; previous data kept, retrying next interval');
      await recordRun(db, USAGE_SYNC_JOB, { at, durationMs, error }).catch((err: unknown) =>
        deps.logger.error({ err: databaseFailureCause(err) }, 'could not record the failed usage sync'),
      );
      views.freshness.reset();
      return { ok: false, full, durationMs, keys: 0, keysUpdated: 0, usersChanged: 0, error, errorCode };
    }
  }

  async function invalidate(userIds: Set<string>) {
    const ids = [...userIds];
    if (ids.length) await deps.cache.invalidateCrossUser();
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((id) => deps.cache.invalidateUser(id)));
    }
  }

  /** Pre-computes the views a returning user opens first, so their first read after a change is a hit. */
  async function warm(userIds: string[]) {
    const queue = [...userIds];
    const worker = async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        await Promise.all([
          views.stats.usageJson(id, { range: '30d' }),
          views.stats.summaryJson(id, { range: '30d' }),
          views.stats.leaderboardJson(id, { sortBy: 'tokens', limit: 10, scope: 'mine', isAdmin: false }),
          views.keys.listJson(id, { page: 1, pageSize: 20, sort: 'createdAt', order: 'desc' }),
        ]).catch((err) => deps.logger.debug({ err: (err as Error).message }, 'warm-up skipped a user'));
      }
    };
    await Promise.all(Array.from({ length: WARM_CONCURRENCY }, worker));
  }

  /**
   * A failure outside the cycle's own handling — the job row or the lock's connection, i.e. the database — or a
   * scheduled run the database kept the leader from claiming: logged, counted and alerted like any other.
   */
  function failed(e: unknown, what: string): SyncReport {
    const error = `${what}: ${databaseFailureCause(e)}`;
    deps.metrics.syncRuns.inc({ outcome: 'error' });
    deps.logger.error({ error }, 'usage sync failed; previous data kept, retrying next interval');
    views.freshness.reset();
    return { ok: false, full: false, durationMs: 0, keys: 0, keysUpdated: 0, usersChanged: 0, error };
  }

  async function attempt(full: boolean): Promise<SyncReport | undefined> {
    let report: SyncReport | undefined;
    try {
      report = await deps.database.withLeaderLock(SYNC_LOCK_ID, (session) => cycle(full, session));
    } catch (e) {
      report = failed(e, 'database unavailable');
    }
    if (report) failuresInARow = report.ok ? 0 : failuresInARow + 1;
    if (report) await steps.afterCycle?.(report, failuresInARow);
    return report;
  }

  const start = (full: boolean): Promise<SyncReport | undefined> => {
    currentFull = full;
    currentReading = false;
    current = attempt(full).finally(() => {
      current = undefined;
    });
    return current;
  };

  const runNow = (opts: { full?: boolean } = {}): Promise<SyncReport | undefined> => {
    const full = opts.full ?? false;
    if (!current) return start(full);
    // A regular ask joins whatever runs; a full one only a full cycle that has not read CRS yet.
    if (!full || (currentFull && !currentReading)) return current;
    // A full ask (e.g. after restoring CRS data) during a cycle that may have read CRS before the change: one more
    // full cycle right after it — folded into the running one it would be lost.
    queuedFull ??= current.then(() => {
      queuedFull = undefined;
      return runNow({ full: true });
    });
    return queuedFull;
  };

  return {
    /**
     * Runs a cycle now unless one is running (then waits for that one); undefined when another instance holds
     * the sync's lock. Never rejects: a failure is a report with `ok: false`.
     * `full` re-reads CRS's whole 31-day window (normally once a day) — e.g. after restoring CRS data.
     */
    runNow,
    get running() {
      return current !== undefined;
    },
    /** Failed runs in a row seen by this process (0 after a success). */
    get failuresInARow() {
      return failuresInARow;
    },
    status(): Promise<JobRow | undefined> {
      return readJob(db, USAGE_SYNC_JOB);
    },
    /** The schedule's view of this job (jobs/lease.ts): the leader runs it every SYNC_INTERVAL. */
    scheduled: {
      name: USAGE_SYNC_JOB,
      intervalMs: () => deps.config.syncIntervalSec * 1000,
      run: () => runNow(),
      missed(err: Error) {
        failuresInARow++;
        failed(err, 'scheduled run missed, the database did not answer');
      },
    } satisfies ScheduledJob,
    async stop() {
      await current;
    },
  };
}
