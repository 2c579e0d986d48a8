import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * The big fan-out answers (usage-stats, the per-key trend) walk every key. Real CRS builds them from Redis replies,
 * so its event loop keeps serving other calls meanwhile — the portal reads list pages while a trend is in flight
 * (docs/crs.md §8). Built in one synchronous pass, 100,000 keys × 31 days held the emulator for over 10 s on a
 * slower machine and timed out the sync's list pages; so the builders give the event loop a turn every this many
 * keys.
 */
const KEYS_PER_TURN = 1_000;

/** Counts keys; resolves after a turn of the event loop every KEYS_PER_TURN of them, at once otherwise. */
export function turnTaker(): () => Promise<void> | undefined {
  let n = 0;
  return () => (++n % KEYS_PER_TURN === 0 ? nextTurn() : undefined);
}

export { nextTurn };
