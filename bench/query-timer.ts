/**
 * Times the portal's own read-model queries (src/infra/db/repos/usage.ts), uncached, from a process of its own
 * (the harness's event loop also runs the CRS emulator). What a stats loader runs on a miss: the usage query
 * pair (daily rows + the user's keys, in parallel), a user's leaderboard, and the cross-user leaderboard.
 * Each is timed twice: at the client (the figure the targets are judged on: round trip, driver and all), then
 * as PostgreSQL times it itself (planning + execution, EXPLAIN ANALYZE without per-node timing), which tells a
 * slow query from a slow round trip (docs/decisions/042). Before the samples the same queries run unmeasured for
 * other users (`warmup`): this process is new, and its first few hundred queries also time V8 compiling the driver
 * and the query builders — which the portal, a long-lived process, did long before — while PostgreSQL's pages of
 * the measured users stay unread. Each sample starts on an empty young generation (`collect`), and beside the
 * samples the timer records what the machine did meanwhile (`beside`).
 *   tsx --expose-gc bench/query-timer.ts <databaseUrl> <users.json: { measured, warmup: [userId, …], portalPid }> <globalSamples>
 *   → one JSON line
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import pg from 'pg';
import { resolveRange } from '../src/domain/usage/range.js';
import { openDatabase } from '../src/infra/db/client.js';
import { dailyRows, globalLeaderboard, userKeys, userLeaderboard } from '../src/infra/db/repos/usage.js';
import { latencies } from './lib/http.js';
import { cpuMs, machineBusyMs } from './lib/procs.js';

const [url, usersFile, globalSamples] = process.argv.slice(2);
const {
  measured: userIds,
  warmup,
  portalPid,
} = JSON.parse(readFileSync(usersFile, 'utf8')) as {
  measured: string[];
  warmup: string[];
  portalPid: number;
};
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

/**
 * This process's young generation, collected before each sample (run with --expose-gc). Its scavenges took 2–8 ms
 * on the AMD VM and fell inside 15 of the 26 samples over 5 ms: the timer's own garbage, not the round trip a stats
 * loader waits for (docs/decisions/042, sixteenth pass).
 */
const collect = globalThis.gc as ((o: { type: 'minor' }) => void) | undefined;
if (!collect) throw new Error('run with --expose-gc');
const collections: Array<{ at: number; ms: number }> = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) collections.push({ at: e.startTime, ms: e.duration });
}).observe({ entryTypes: ['gc'] });
/** Every measured sample's span, to count afterwards those a collection still fell into (observers report late). */
const spans: Array<{ at: number; ms: number }> = [];

/** At the client: the queries of one sample run together, as the loader runs them. */
async function atClient(queries: Array<PromiseLike<unknown>>): Promise<number> {
  collect!({ type: 'minor' });
  const t = performance.now();
  await Promise.all(queries);
  const ms = performance.now() - t;
  spans.push({ at: t, ms });
  return ms;
}

/** Samples that a collection began inside of (the forced one is over before its sample starts). */
const samplesWithGc = () => spans.filter((x) => collections.some((c) => c.at >= x.at && c.at < x.at + x.ms)).length;

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

/** CPU time so far (ms): the machine's busy time, this process's, the portal's and the harness's (our parent). */
function cpuNow() {
  const { user, system } = process.cpuUsage();
  const pid = (p: number) => (p > 0 ? cpuMs(p) : 0);
  return {
    machine: machineBusyMs(),
    timer: (user + system) / 1000,
    portal: pid(portalPid),
    harness: pid(process.ppid),
  };
}

try {
  // A round unmeasured, of every kind, for other users: connections, the first plans, this process's code compiled.
  for (const id of warmup) {
    await atClient(kinds.usage30d(id));
    await atClient(kinds.userLeaderboard(id));
  }
  for (let i = 0; i < 3 * SORTS.length; i++) await atClient(kinds.globalLeaderboard(i));
  spans.length = 0;
  const started = performance.now();
  const before = cpuNow();
  const usage: number[] = [];
  const board: number[] = [];
  for (const id of userIds) {
    usage.push(await atClient(kinds.usage30d(id)));
    board.push(await atClient(kinds.userLeaderboard(id)));
  }
  const all: number[] = [];
  const globalCount = Number(globalSamples) * SORTS.length;
  for (let i = 0; i < globalCount; i++) all.push(await atClient(kinds.globalLeaderboard(i)));
  const ms = performance.now() - started;
  const after = cpuNow();
  await new Promise((resolve) => setImmediate(resolve)); // the observer's last entries
  const cores = (k: keyof typeof after) => Math.round(((after[k] - before[k]) / ms) * 100) / 100;
  const beside = {
    seconds: Math.round(ms / 100) / 10,
    machineCores: cores('machine'),
    timerCores: cores('timer'),
    portalCores: cores('portal'),
    harnessCores: cores('harness'),
    samplesWithTimerGc: samplesWithGc(),
  };
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
    beside,
  };
  process.stdout.write(`${JSON.stringify(times)}\n`);
} finally {
  await Promise.all([database.close(), explainer.end()]);
}
