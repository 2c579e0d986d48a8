import type { Rounds } from './pooled.js';

/** Command-line options of `npm run bench -- …`. */
export interface BenchOptions {
  mode: 'quick' | 'default' | 'large';
  users: number;
  keysPerUser: number;
  /** Days of usage history seeded in CRS (multiples of 30: one round and one full sync per 30 days). */
  historyDays: number;
  requestsPerDay: number;
  warmSec: number;
  warmupSec: number;
  /** The ratio's connection count runs in paired rounds of short windows (bench/lib/pooled.ts, docs/decisions/041). */
  rounds: Rounds;
  connections: number[];
  /** Warm runs rotate over this many users' tokens (the first ones; 1,000 at every scale unless --warm-users). */
  warmUsers: number;
  /** The bare node:http baseline runs at these (the ratio uses the highest). */
  baselineConnections: number[];
  coldSamples: number;
  stampede: number;
  browseSec: number;
  browseUsers: number;
  browseConnections: number;
  /** How many of the browse's page views each user requests (8 = all; --quick: the 5 dashboard ones). */
  browseViews: number;
  trafficRpm: number;
  directSamples: number;
  /** Also time a sync with CRS's latency switched off (the portal's own share); skipped by --quick. */
  syncWithoutLatency: boolean;
  /** Also time the sync reading CRS's Redis (CRS_REDIS_URL, decision 037); skipped by --quick. */
  directSync: boolean;
  /** Scenarios to run (default all): warm, cold, stampede, browse, direct, sync; direct-sync: only its CRS's Redis cycles. */
  only?: Set<string>;
  /** Warm routes to measure (default all of them). */
  routes?: string[];
  /** Start the portal with --cpu-prof and summarise the profile at the end. */
  profile: boolean;
  /** Keep the work directory (logs, baseline bodies) after the run. */
  keep: boolean;
}

/** Warm runs rotate over this many users' tokens unless `--warm-users` says otherwise (the complete run's figure). */
export const WARM_USERS = 1000;

/** Three rounds of 4 s windows (1 s warm-up each) at the ratio's connection count, at every scale (decision 041). */
const ROUNDS: Rounds = { count: 3, seconds: 4, warmupSec: 1 };

export const USAGE = `npm run bench [-- options]
  --quick            short durations, default scale, 30 days of history (< 90 s)
  --scale large      10,000 users, 100,000 keys, 30 days (3,000,000 daily rows)
  --only a,b         run only these scenarios: warm, cold, stampede, browse, direct, sync
                     (direct-sync: only the sync cycles reading CRS's Redis)
  --routes a,b       warm routes to measure (default: every hot read), e.g. /api/stats/usage
  --warm-users N     warm runs rotate over N users' tokens instead of 1,000 (a partial run, like --routes)
  --profile          run the portal with --cpu-prof and print its top self-time functions
  --keep             keep the work directory (portal log, baseline bodies)`;

export function parseOptions(argv: string[]): BenchOptions {
  const has = (f: string) => argv.includes(f);
  const value = (f: string) => {
    const i = argv.findIndex((a) => a === f || a.startsWith(`${f}=`));
    if (i < 0) return undefined;
    return argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  };
  if (has('--help') || has('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const scale = value('--scale') ?? 'default';
  if (scale !== 'default' && scale !== 'large') throw new Error(`--scale must be default or large, got ${scale}`);
  const only = value('--only');
  const routes = value('--routes')?.split(',');
  const warmUsers = Number(value('--warm-users') ?? WARM_USERS);
  if (!Number.isInteger(warmUsers) || warmUsers < 1 || warmUsers > WARM_USERS) {
    throw new Error(`--warm-users must be a whole number from 1 to ${WARM_USERS}, got ${value('--warm-users')}`);
  }
  const common = {
    profile: has('--profile'),
    keep: has('--keep'),
    only: only ? new Set(only.split(',')) : undefined,
    routes,
    warmUsers,
  };
  if (scale === 'large') {
    return {
      ...common,
      mode: 'large',
      users: 10_000,
      keysPerUser: 10,
      historyDays: 30,
      requestsPerDay: 2,
      warmSec: 10,
      warmupSec: 3,
      rounds: ROUNDS,
      connections: [10, 50],
      baselineConnections: [10, 50],
      coldSamples: 500,
      stampede: 500,
      browseSec: 60,
      browseUsers: 1000,
      browseConnections: 50,
      browseViews: 12,
      trafficRpm: 600,
      directSamples: 3,
      syncWithoutLatency: true,
      directSync: true,
    };
  }
  const quick = has('--quick');
  return {
    ...common,
    mode: quick ? 'quick' : 'default',
    users: 1000,
    keysPerUser: 5,
    // --quick: 14 days, so that the run stays under 90 s on this machine (the full sync is then ~half as long).
    historyDays: quick ? 14 : 90,
    requestsPerDay: quick ? 4 : 8,
    warmSec: quick ? 1.25 : 10,
    warmupSec: quick ? 0.5 : 3,
    // --quick: a single run of each (warmSec, warmupSec) at every connection count; no rounds.
    rounds: quick ? { ...ROUNDS, count: 1 } : ROUNDS,
    connections: [10, 50],
    baselineConnections: quick ? [50] : [10, 50],
    coldSamples: quick ? 50 : 300,
    stampede: 500,
    browseSec: quick ? 8 : 60,
    browseUsers: 1000,
    browseConnections: 50,
    browseViews: quick ? 5 : 12,
    trafficRpm: 600,
    directSamples: quick ? 3 : 5,
    syncWithoutLatency: !quick,
    directSync: !quick,
  };
}
