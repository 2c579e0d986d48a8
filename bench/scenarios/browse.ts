import type { BenchEmulator } from '../lib/emulator.js';
import { round } from '../lib/http.js';
import { load, prime, type Target } from '../lib/load.js';
import { delta, scrape } from '../lib/metrics.js';
import type { BenchUser } from '../lib/seed.js';

/**
 * The sync's endpoints: the bulk reads (usage-stats, the per-key daily and hourly trend, the key list) and its
 * bounded per-key reads of keys used since their last read (limit figures, models: docs/decisions/024, 025). The
 * browse mix never opens a key's models, so every model-stats call in the window is the sync's.
 */
const SYNC_ENDPOINTS = new Set([
  'GET /admin/usage-stats',
  'GET /admin/api-keys-usage-trend',
  'GET /admin/api-keys',
  'POST /apiStats/api/user-stats',
  'GET /admin/api-keys/:id/model-stats',
]);

/**
 * What a user's browser asks for while they look around: the dashboard (usage 30 d, key list, leaderboard),
 * the usage page at other ranges and per key, a comparison, the spend summary, the hourly view and the statement. The per-key model and request-log views are
 * left out on purpose: they are the only reads that go to CRS by design (cached 60 s per key).
 */
function pageViews(u: BenchUser, i: number, count: number): Target[] {
  const key = u.keys[i % u.keys.length];
  // The first five are the dashboard and comparison (what --quick browses); the rest are the other pages.
  const views = [
    '/api/stats/usage?range=30d',
    '/api/keys',
    '/api/stats/leaderboard',
    `/api/stats/compare?keyIds=${u.keys.slice(0, 3).join(',')}`,
    '/api/stats/usage?range=7d',
    `/api/stats/usage?range=30d&keyId=${key}`,
    '/api/stats/usage?range=90d',
    '/api/keys?sort=tokens',
    // Issue 13's views: the spend summary, the hourly view, the statement, a ranged leaderboard.
    '/api/stats/summary?range=30d',
    '/api/stats/usage?granularity=hour&range=7d',
    '/api/stats/statement',
    '/api/stats/leaderboard?range=30d',
  ];
  return views.slice(0, count).map((path) => ({ path, token: u.token }));
}

/**
 * `users` browsing for `seconds` on `connections` connections (closed loop: each connection sends its next
 * request when the previous one is answered), while CRS sees live traffic (usage the sync picks up and
 * invalidates). Every view is requested once before the window (steady state, not a cold start). CRS calls, sync cycles and cache hits/misses are the deltas of the portal's own
 * counters over the window.
 */
export async function browse(
  portal: string,
  emulator: BenchEmulator,
  users: BenchUser[],
  o: { seconds: number; connections: number; trafficRpm: number; callsPerCycle: number; views: number },
) {
  // Interleave users so consecutive requests come from different people, as in real traffic.
  const perUser = users.map((u, i) => pageViews(u, i, o.views));
  const targets: Target[] = [];
  for (let v = 0; v < perUser[0].length; v++) for (const views of perUser) targets.push(views[v]);
  // Steady state: every user's views loaded once before the window opens.
  await prime(portal, targets, 48);
  emulator.setTraffic(o.trafficRpm);
  const before = await scrape(portal);
  const crsBefore = emulator.requestCount();
  const r = await load({ url: portal, targets, connections: o.connections, seconds: o.seconds });
  const after = await scrape(portal);
  const crsSeen = emulator.requestCount() - crsBefore;
  emulator.setTraffic(0);
  const d = delta(before, after);
  // The sync's own endpoints: usage-stats, the per-key trend and the key list. Anything else would be a read
  // that reached CRS because of the browsing users.
  let syncCalls = 0;
  for (const [endpoint, n] of Object.entries(d.crsByEndpoint)) if (SYNC_ENDPOINTS.has(endpoint)) syncCalls += n;
  // A cycle that straddles the window counts: completed ones, or as many as the sync's calls show.
  const syncCycles = Math.max(d.syncRuns, Math.ceil(syncCalls / o.callsPerCycle));
  return {
    users: users.length,
    seconds: o.seconds,
    connections: o.connections,
    views: o.views,
    requests: r.requests,
    rps: r.rps,
    p99Ms: r.p99Ms,
    errors: r.errors,
    crsCalls: d.crsCalls,
    crsByEndpoint: d.crsByEndpoint,
    // The same, counted by the emulator (it serves no one but the portal).
    crsCallsSeenByCrs: crsSeen,
    crsCallsBySync: syncCalls,
    crsCallsOther: d.crsCalls - syncCalls,
    syncCycles,
    syncCyclesCompleted: d.syncRuns,
    syncCallsExpected: syncCycles * o.callsPerCycle,
    hitRate: round(d.hits / Math.max(1, d.hits + d.misses), 4),
    hits: d.hits,
    misses: d.misses,
    missesByNamespace: d.missesByNs,
    trafficRpm: o.trafficRpm,
  };
}
