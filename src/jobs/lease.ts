import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Deps } from '../deps.js';
import { databaseFailureCause } from '../infra/db/diagnose.js';
import { acquireLease, claimRun, releaseLease } from '../infra/db/repos/jobs.js';

/**
 * One leader among the portal instances sharing a database, and the jobs it runs on a shared schedule
 * (docs/decisions/016-leader-lease.md). Every tick the instance takes or renews the lease; the leader then
 * claims each due job (one statement: due check and next slot together) and runs it. Whatever the number of
 * instances, each slot is run once; when the leader dies its lease expires and another instance takes over,
 * within one interval.
 */
export interface ScheduledJob {
  name: string;
  intervalMs(): number;
  /** One scheduled run. Its failures are the job's to report; a rejection here is logged as a bug. */
  run(): Promise<unknown>;
  /** A run was due on this (last known) leader but could not be claimed: the database did not answer. */
  missed(err: Error): void;
}

export interface Leader {
  readonly instanceId: string;
  isLeader(): boolean;
  start(): void;
  /** Stops ticking and gives the lease up, so another instance takes over at once. */
  stop(): Promise<void>;
}

/** A renewed lease lasts this long at most; ticks come three times per lease. */
const MAX_LEASE_MS = 15_000;

export function createLeader(deps: Pick<Deps, 'database' | 'metrics' | 'logger'>, jobs: ScheduledJob[]): Leader {
  const { db } = deps.database;
  const log = deps.logger.child({ component: 'leader' });
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  // The embedded database serves one process: it always leads.
  const force = deps.database.kind === 'pglite';
  // Short enough that a dead leader's lease expires well within the shortest interval.
  const leaseMs = () => Math.min(MAX_LEASE_MS, ...jobs.map((j) => j.intervalMs() / 2));
  let leaseUntil = 0;
  /** Whether the last tick that reached the database found us leading (survives an outage, unlike the lease). */
  let lastKnownLeader = false;
  /** Per job, when this process expects its next run (to report runs an outage prevented, once per interval). */
  const expected = new Map<string, number>();
  let active = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let failing = '';

  const setLeader = (leading: boolean) => deps.metrics.leader.set(leading ? 1 : 0);

  async function tick(): Promise<void> {
    const started = Date.now();
    try {
      const until = await acquireLease(db, instanceId, leaseMs(), force);
      if (failing) log.info('database reachable again: lease ticks resumed');
      failing = '';
      if (until && !lastKnownLeader) log.info({ instanceId }, 'this instance now leads the background jobs');
      if (!until && lastKnownLeader) log.info({ instanceId }, 'this instance no longer leads the background jobs');
      lastKnownLeader = Boolean(until);
      // Our own clock from before the query: never later than PostgreSQL's view of the lease.
      leaseUntil = until ? started + leaseMs() : 0;
      setLeader(Boolean(until));
      if (!until) return;
      for (const job of jobs) {
        const next = await claimRun(db, job.name, instanceId, job.intervalMs());
        if (!next) continue;
        expected.set(job.name, Date.now() + job.intervalMs());
        job.run().catch((err: Error) => log.error({ err, job: job.name }, 'a scheduled job threw'));
      }
    } catch (e) {
      const err = new Error(databaseFailureCause(e));
      if (Date.now() >= leaseUntil) setLeader(false);
      // Every tick fails the same way during an outage: the first one is worth a line, not each.
      if (err.message !== failing) log.error({ err: err.message }, 'lease tick failed: the database did not answer');
      failing = err.message;
      if (!lastKnownLeader) return;
      // The leader cut off from the database owes its runs: each one missed is a failure of that job.
      for (const job of jobs) {
        const due = expected.get(job.name) ?? started;
        if (due > Date.now()) continue;
        expected.set(job.name, Date.now() + job.intervalMs());
        job.missed(err);
      }
    }
  }

  function loop(): void {
    ticking = tick().finally(() => {
      ticking = undefined;
      if (!active) return;
      timer = setTimeout(loop, leaseMs() / 3);
      timer.unref();
    });
  }

  return {
    instanceId,
    isLeader: () => Date.now() < leaseUntil,
    start() {
      if (active) return;
      active = true;
      setLeader(false);
      // The first tick right away: a fresh portal shows data within seconds.
      loop();
    },
    async stop() {
      active = false;
      clearTimeout(timer);
      await ticking;
      if (Date.now() < leaseUntil) {
        await releaseLease(db, instanceId).catch((err: Error) =>
          log.warn({ err: err.message }, 'could not release the lease; it expires by itself'),
        );
      }
      leaseUntil = 0;
      setLeader(false);
    },
  };
}
