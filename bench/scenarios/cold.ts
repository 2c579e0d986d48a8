import http from 'node:http';
import { json, latencies, percentile, request, round } from '../lib/http.js';
import { scrape } from '../lib/metrics.js';
import type { BenchUser } from '../lib/seed.js';

export interface ColdResult {
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

/** Empties the portal's caches (one namespace, or all) through the admin route. */
export const purge = (portal: string, admin: BenchUser, namespace?: string) =>
  json(`${portal}/api/admin/cache/purge`, {
    method: 'POST',
    token: admin.token,
    body: namespace ? { namespace } : {},
  });

/**
 * First requests after a cache purge: `users.length` different users, one request at a time, each the first
 * read of its cache entry, timed by the client (send → last byte). `namespace`: purge only that one (the
 * sessions stay cached); without it, everything is purged, so each request also loads its session.
 */
export async function coldReads(
  portal: string,
  admin: BenchUser,
  users: BenchUser[],
  pathOf: (u: BenchUser) => string,
  namespace?: string,
): Promise<ColdResult> {
  // Sessions warm first (when only `stats` is purged they must be hits), on a connection of their own.
  if (namespace) for (const u of users) await request(`${portal}/api/auth/me`, { token: u.token });
  await purge(portal, admin, namespace);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await request(`${portal}/metrics`, { agent }); // opens the connection before the clock starts
  const times: number[] = [];
  for (const u of users) {
    const a = await request(`${portal}${pathOf(u)}`, { token: u.token, agent });
    if (a.status !== 200) throw new Error(`cold ${pathOf(u)}: ${a.status} ${a.body.slice(0, 200)}`);
    times.push(a.ms);
  }
  agent.destroy();
  return latencies(times);
}

/**
 * `concurrent` identical cold requests at the same moment (one user, usage 30 d, on `concurrent` open
 * connections), right after purging `stats`: the number of origin loads is the `stats` miss count's growth.
 */
export async function stampede(portal: string, admin: BenchUser, user: BenchUser, concurrent: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrent });
  const path = '/api/stats/usage?range=30d';
  // Open every connection (and cache the session) before the cold moment.
  await Promise.all(
    Array.from({ length: concurrent }, () => request(`${portal}/api/auth/me`, { token: user.token, agent })),
  );
  await purge(portal, admin, 'stats');
  const before = await scrape(portal);
  const answers = await Promise.all(
    Array.from({ length: concurrent }, () => request(`${portal}${path}`, { token: user.token, agent })),
  );
  const after = await scrape(portal);
  agent.destroy();
  const bad = answers.filter((a) => a.status !== 200).length;
  if (bad) throw new Error(`stampede: ${bad} of ${concurrent} answers were not 200`);
  const bodies = new Set(answers.map((a) => a.body.replace(/"asOf":[^,]*,"stale":\w+/, '')));
  const times = answers.map((a) => a.ms).sort((a, b) => a - b);
  return {
    concurrent,
    loads:
      after.sum('kp_cache_misses_total', { namespace: 'stats' }) -
      before.sum('kp_cache_misses_total', { namespace: 'stats' }),
    distinctBodies: bodies.size,
    p50Ms: round(percentile(times, 50)),
    maxMs: round(times[times.length - 1]),
  };
}

/**
 * One request made `samples` times, each right after purging `stats` (the admin's cross-user leaderboard is a
 * single entry: every sample has to be its first read). The session is cached; the purge is not timed.
 */
export async function coldRepeated(portal: string, admin: BenchUser, path: string, samples: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await request(`${portal}/api/auth/me`, { token: admin.token, agent });
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    await purge(portal, admin, 'stats');
    const a = await request(`${portal}${path}`, { token: admin.token, agent });
    if (a.status !== 200) throw new Error(`cold ${path}: ${a.status} ${a.body.slice(0, 200)}`);
    times.push(a.ms);
  }
  agent.destroy();
  return latencies(times);
}
