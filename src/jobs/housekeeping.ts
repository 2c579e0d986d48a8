import type { FastifyBaseLogger } from 'fastify';
import type { AccountsService } from '../domain/accounts/index.js';

const EVERY_MS = 60 * 60_000;
/** The first run soon after start, not an hour later: a restart must not postpone the purge. */
const FIRST_AFTER_MS = 60_000;

/**
 * Deletes expired and revoked sessions, ended rate-limit windows and expired setup tokens every hour. Every
 * statement is idempotent, so several instances running it at once only repeat each other's work (a leader
 * lease can take it over later). Returns the stop function.
 */
export function scheduleHousekeeping(
  accounts: Pick<AccountsService, 'purge'>,
  logger: FastifyBaseLogger,
  everyMs = EVERY_MS,
): () => Promise<void> {
  const run = async () => {
    try {
      const purged = await accounts.purge();
      if (purged.sessions || purged.counters) logger.info(purged, 'housekeeping: purged');
    } catch (err) {
      logger.warn({ err }, 'housekeeping failed; retried at the next run');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(
    () => {
      void run();
      timer = setInterval(run, everyMs).unref();
    },
    Math.min(FIRST_AFTER_MS, everyMs),
  ).unref();
  return async () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
