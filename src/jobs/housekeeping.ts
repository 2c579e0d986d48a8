import type { Deps } from '../deps.js';
import type { AccountsService } from '../domain/accounts/index.js';
import type { ScheduledJob } from './lease.js';

const EVERY_MS = 60 * 60_000;

/**
 * Deletes expired and revoked sessions, ended rate-limit windows and expired setup tokens, once an hour, on the
 * leader (jobs/lease.ts). Every statement is idempotent, so a run repeated after a leader change does no harm.
 */
export function housekeepingJob(
  accounts: Pick<AccountsService, 'purge'>,
  logger: Deps['logger'],
  everyMs = EVERY_MS,
): ScheduledJob & { run(): Promise<void> } {
  return {
    name: 'housekeeping',
    intervalMs: () => everyMs,
    async run() {
      try {
        const purged = await accounts.purge();
        if (purged.sessions || purged.counters) logger.info(purged, 'housekeeping: purged');
      } catch (err) {
        logger.warn({ err }, 'housekeeping failed; retried at the next run');
      }
    },
    missed(err) {
      logger.warn({ err: err.message }, 'housekeeping run missed: the database did not answer');
    },
  };
}
