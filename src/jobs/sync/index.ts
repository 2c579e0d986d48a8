import type { Deps } from '../../deps.js';
import { USAGE_SYNC_JOB } from '../../domain/usage/freshness.js';
import type { Services } from '../../services.js';
import { runSync } from './run-sync.js';
import { settle } from './settle.js';
import { type JobRow, readJob, recordRun } from './state.js';

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
  error?: string;
}

export type SyncJob = ReturnType<typeof createSyncJob>;

/**
 * Runs the usage sync every SYNC_INTERVAL on the leader, then invalidates exactly the users whose numbers
 * changed and warms their hot views, and settles undelivered creates and suspended keys.
 */
export function createSyncJob(deps: Deps, services: Services) {
  const { db } = deps.database;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<SyncReport | undefined> | undefined;

  async function cycle(forceFull: boolean): Promise<SyncReport> {
    const at = deps.clock();
    const started = performance.now();
    const prev = await readJob(db, USAGE_SYNC_JOB);
    const full = forceFull || !prev?.lastFullAt || at.getTime() - prev.lastFullAt.getTime() >= DAY_MS;
    try {
      const out = await runSync(deps, full);
      const durationMs = performance.now() - started;
      await recordRun(db, USAGE_SYNC_JOB, { at, durationMs, keysUpdated: out.keysUpdated, full });
      deps.metrics.syncRuns.inc({ outcome: 'ok' });
      deps.metrics.syncDuration.observe(durationMs);
      deps.metrics.syncLastSuccess.set(at.getTime() / 1000);
      services.freshness.reset();
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
      };
      deps.logger.info(report, 'usage sync done');
      return report;
    } catch (e) {
      const durationMs = performance.now() - started;
      const error = (e as Error).message;
      deps.metrics.syncRuns.inc({ outcome: 'error' });
      deps.logger.warn({ error, durationMs }, 'usage sync failed; previous data kept, retrying next interval');
      await recordRun(db, USAGE_SYNC_JOB, { at, durationMs, error }).catch(() => {});
      services.freshness.reset();
      return { ok: false, full, durationMs, keys: 0, keysUpdated: 0, usersChanged: 0, error };
    }
  }

  async function invalidate(userIds: Set<string>) {
    const ids = [...userIds];
    if (ids.length) ids.push('all'); // the admin's cross-user leaderboard
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
          services.stats.usageJson(id, { range: '30d' }),
          services.stats.leaderboardJson(id, { sortBy: 'tokens', limit: 10, scope: 'mine', isAdmin: false }),
          services.keys.listJson(id, { page: 1, pageSize: 20, sort: 'createdAt', order: 'desc' }),
        ]).catch((err) => deps.logger.debug({ err: (err as Error).message }, 'warm-up skipped a user'));
      }
    };
    await Promise.all(Array.from({ length: WARM_CONCURRENCY }, worker));
  }

  function schedule() {
    timer = setTimeout(async () => {
      await job.runNow().catch(() => {});
      if (timer) schedule();
    }, deps.config.syncIntervalSec * 1000);
    timer.unref();
  }

  const job = {
    /**
     * Runs a cycle now unless one is running (then waits for that one); undefined when another instance leads.
     * `full` re-reads CRS's whole 31-day window (normally once a day) — e.g. after restoring CRS data.
     */
    runNow(opts: { full?: boolean } = {}): Promise<SyncReport | undefined> {
      current ??= deps.database
        .withLeaderLock(SYNC_LOCK_ID, () => cycle(opts.full ?? false))
        .finally(() => {
          current = undefined;
        });
      return current;
    },
    get running() {
      return current !== undefined;
    },
    status(): Promise<JobRow | undefined> {
      return readJob(db, USAGE_SYNC_JOB);
    },
    /** First cycle right away (a fresh portal shows data within seconds), then every interval. */
    start() {
      void job.runNow().catch(() => {});
      schedule();
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await current?.catch(() => {});
    },
  };
  return job;
}
