/**
 * Times the portal's own read-model queries (src/infra/db/repos/usage.ts), uncached, from a process of its own
 * (the harness's event loop also runs the CRS emulator). What a stats loader runs on a miss: the usage query
 * pair (daily rows + the user's keys, in parallel), a user's leaderboard, and the cross-user leaderboard.
 *   tsx bench/query-timer.ts <databaseUrl> <users.json: [userId, …]> <globalSamples>  → one JSON line
 */
import { readFileSync } from 'node:fs';
import { resolveRange } from '../src/domain/usage/range.js';
import { openDatabase } from '../src/infra/db/client.js';
import { dailyRows, globalLeaderboard, userKeys, userLeaderboard } from '../src/infra/db/repos/usage.js';
import { percentile, round } from './lib/http.js';

const [url, usersFile, globalSamples] = process.argv.slice(2);
const userIds = JSON.parse(readFileSync(usersFile, 'utf8')) as string[];
const database = await openDatabase({ databaseUrl: url, dataDir: '.', poolSize: 2 });
const { db } = database;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const summary = (ms: number[]) => {
  const s = ms.slice().sort((a, b) => a - b);
  return { p50Ms: round(percentile(s, 50)), p99Ms: round(percentile(s, 99)), samples: s.length };
};

try {
  const range = resolveRange({ range: '30d' }, new Date(), 8);
  // One round unmeasured: connections, prepared plans and the first pages read in.
  for (const id of userIds.slice(0, 20)) await Promise.all([dailyRows(db, id, range), userKeys(db, id)]);
  const usage: number[] = [];
  const board: number[] = [];
  for (const id of userIds) {
    usage.push(await timed(() => Promise.all([dailyRows(db, id, range), userKeys(db, id)])));
    board.push(await timed(() => userLeaderboard(db, id, 'tokens', 10)));
  }
  const all: number[] = [];
  for (let i = 0; i < Number(globalSamples); i++) {
    for (const sortBy of ['tokens', 'requests', 'cost'] as const)
      all.push(await timed(() => globalLeaderboard(db, sortBy, 10)));
  }
  process.stdout.write(
    `${JSON.stringify({ usage30d: summary(usage), userLeaderboard: summary(board), globalLeaderboard: summary(all) })}\n`,
  );
} finally {
  await database.close();
}
