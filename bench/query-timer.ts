/**
 * Times the portal's own read-model queries (src/infra/db/repos/usage.ts), uncached, from a process of its own
 * (the harness's event loop also runs the CRS emulator). What a stats loader runs on a miss: the usage query
 * pair (daily rows + the user's keys, in parallel), a user's leaderboard, and the cross-user leaderboard.
 * Each is timed twice: at the client (the figure the targets are judged on: round trip, driver and all), then
 * as PostgreSQL times it itself (planning + execution, EXPLAIN ANALYZE without per-node timing), which tells a
 * slow query from a slow round trip (docs/decisions/042).
 *   tsx bench/query-timer.ts <databaseUrl> <users.json: [userId, …]> <globalSamples>  → one JSON line
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { resolveRange } from '../src/domain/usage/range.js';
import { openDatabase } from '../src/infra/db/client.js';
import { dailyRows, globalLeaderboard, userKeys, userLeaderboard } from '../src/infra/db/repos/usage.js';
import { latencies } from './lib/http.js';

const [url, usersFile, globalSamples] = process.argv.slice(2);
const userIds = JSON.parse(readFileSync(usersFile, 'utf8')) as string[];
const database = await openDatabase({ databaseUrl: url, dataDir: '.', poolSize: 2 });
const { db } = database;
const range = resolveRange({ range: '30d' }, new Date(), 8);
const SORTS = ['tokens', 'requests', 'cost'] as const;

/**
 * The queries of one sample, by kind: what a stats loader runs on a miss. Built, not run: a drizzle query runs when
 * it is awaited, so the same builders serve the client's timing and EXPLAIN's.
 */
const kinds = {
  usage30d: (id: string) => [dailyRows(db, id, range), userKeys(db, id)],
  userLeaderboard: (id: string) => [userLeaderboard(db, id, 'tokens', 10)],
  globalLeaderboard: (i: number) => [globalLeaderboard(db, SORTS[i % SORTS.length], 10)],
};

/** At the client: the queries of one sample run together, as the loader runs them. */
async function atClient(queries: Array<PromiseLike<unknown>>): Promise<number> {
  const t = performance.now();
  await Promise.all(queries);
  return performance.now() - t;
}

/** PostgreSQL's own planning + execution time of the sample's queries, summed (one connection of its own). */
const explainer = new pg.Client({ connectionString: url });
async function atServer(queries: Array<{ toSQL(): { sql: string; params: unknown[] } }>): Promise<number> {
  let ms = 0;
  for (const q of queries) {
    const { sql, params } = q.toSQL();
    const { rows } = await explainer.query(`explain (analyze, timing off, format json) ${sql}`, params);
    const [plan] = rows[0]['QUERY PLAN'] as Array<{ 'Planning Time': number; 'Execution Time': number }>;
    ms += plan['Planning Time'] + plan['Execution Time'];
  }
  return ms;
}

/** The client's figures, and PostgreSQL's for the same samples beside them. */
const summary = (ms: number[], server: number[]) => {
  const { p50Ms, p99Ms } = latencies(server);
  return { ...latencies(ms), server: { p50Ms, p99Ms } };
};

try {
  // One round unmeasured, of every kind: connections, the first plans and pages read in.
  for (const id of userIds.slice(0, 20)) {
    await atClient(kinds.usage30d(id));
    await atClient(kinds.userLeaderboard(id));
  }
  const usage: number[] = [];
  const board: number[] = [];
  for (const id of userIds) {
    usage.push(await atClient(kinds.usage30d(id)));
    board.push(await atClient(kinds.userLeaderboard(id)));
  }
  const all: number[] = [];
  const globalCount = Number(globalSamples) * SORTS.length;
  for (let i = 0; i < globalCount; i++) all.push(await atClient(kinds.globalLeaderboard(i)));
  await explainer.connect();
  const server = { usage: [] as number[], board: [] as number[], all: [] as number[] };
  for (const id of userIds) {
    server.usage.push(await atServer(kinds.usage30d(id)));
    server.board.push(await atServer(kinds.userLeaderboard(id)));
  }
  for (let i = 0; i < globalCount; i++) server.all.push(await atServer(kinds.globalLeaderboard(i)));
  const times = {
    usage30d: summary(usage, server.usage),
    userLeaderboard: summary(board, server.board),
    globalLeaderboard: summary(all, server.all),
  };
  process.stdout.write(`${JSON.stringify(times)}\n`);
} finally {
  await Promise.all([database.close(), explainer.end()]);
}
