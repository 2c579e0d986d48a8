import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../tests/support/free-port.js';
import { request } from '../lib/http.js';
import { load, prime, type Target } from '../lib/load.js';
import { scrape } from '../lib/metrics.js';
import { type PooledRun, perRound, pooled, type Rounds, type RouteRun } from '../lib/pooled.js';
import { cpuMs, rssMb, settled, startChild, writeSyscalls } from '../lib/procs.js';
import type { BenchUser } from '../lib/seed.js';
import { ROOT, waitReady } from '../lib/stack.js';
import { purge } from './cold.js';

/**
 * The hot reads of the target table, and the request each user makes for them: the four of docs/product.md §4,
 * and the spend summary (issue 13; `/api/me/summary` joins with the personal access tokens). Keys are paths: the
 * baseline server answers by path.
 */
export const WARM_ROUTES: Record<string, (u: BenchUser) => string> = {
  '/api/stats/usage': () => '/api/stats/usage?range=30d',
  '/api/keys': () => '/api/keys',
  '/api/stats/leaderboard': () => '/api/stats/leaderboard',
  '/api/stats/compare': (u) => `/api/stats/compare?keyIds=${u.keys.slice(0, 3).join(',')}`,
  // Status bars poll it (issue 13.6, docs/decisions/026); a session token here, a personal access token there.
  '/api/me/summary': () => '/api/me/summary',
  '/api/stats/summary': () => '/api/stats/summary?range=30d',
};

export const targetsFor = (route: string, users: BenchUser[]): Target[] =>
  users.map((u) => ({ path: WARM_ROUTES[route](u), token: u.token }));

export interface WarmOpts {
  seconds: number;
  warmupSec: number;
  connections: number[];
  log: (s: string) => void;
}

/** A load run with the server process's CPU time per request (and, for the portal, its cache misses). */
async function measured(pid: number, opts: Parameters<typeof load>[0], metricsOf?: string): Promise<RouteRun> {
  let cpu0 = 0;
  let writes0 = 0;
  // Scraped before the load rather than when its measured part starts: rendering the metrics is the bench's
  // work, not a warm read's, and the misses of the warm-up count too (none is expected there either).
  const before = metricsOf ? await scrape(metricsOf) : undefined;
  const r = await load({
    ...opts,
    onMeasure: () => {
      cpu0 = cpuMs(pid);
      writes0 = writeSyscalls(pid);
    },
  });
  const cpu = cpuMs(pid) - cpu0;
  const writes = writeSyscalls(pid) - writes0;
  const perReq = (n: number) => n / Math.max(1, r.requests);
  const run: RouteRun = {
    ...r,
    cpuUsPerReq: Math.round(perReq(cpu * 1000)),
    writesPerReq: Math.round(perReq(writes) * 100) / 100,
  };
  if (before && metricsOf) {
    const after = await scrape(metricsOf);
    run.cacheMisses = after.sum('kp_cache_misses_total') - before.sum('kp_cache_misses_total');
  }
  return run;
}

/**
 * Warm throughput and latency of each hot route at each connection count, over all users' tokens. Before each
 * portal run the caches are purged and every user's entry loaded (one request each), then the run has its warm-up
 * and its measured part.
 *
 * The ratio's connection count (the highest) is measured in paired rounds (docs/decisions/041): each round runs
 * the bare node:http baseline, the baseline with the portal's headers and the portal back to back, in short
 * windows, and the rounds' requests are pooled. This machine is a shared VM whose speed drifts by a quarter within
 * minutes; one long run of each, a minute apart, measured the drift as much as the portal.
 */
export async function warmAndBaseline(
  portal: { url: string; pid: number },
  users: BenchUser[],
  o: WarmOpts & {
    workDir: string;
    baselineConnections: number[];
    routes?: string[];
    rounds: Rounds;
    /** Purges the caches before each run. */
    admin: BenchUser;
  },
) {
  const base = await startBaseline(portal.url, users, o.workDir);
  const warm: Record<string, Record<string, PooledRun>> = {};
  const baseline: Record<string, Record<string, PooledRun>> = {};
  /** The bare server sending the portal's headers too: at the highest connection count only (the ratio's). */
  const withHeaders: Record<string, Record<string, PooledRun>> = {};
  const top = Math.max(...o.connections);
  try {
    for (const route of o.routes ?? Object.keys(WARM_ROUTES)) {
      warm[route] = {};
      baseline[route] = {};
      withHeaders[route] = {};
      const targets = targetsFor(route, users);
      const headersTargets = targets.map((t) => ({ ...t, path: `/h${t.path}` }));
      for (const connections of o.connections) {
        const paired = connections === top && o.rounds.count > 1;
        const window = paired
          ? { seconds: o.rounds.seconds, warmupSec: o.rounds.warmupSec }
          : { seconds: o.seconds, warmupSec: o.warmupSec };
        const run = { targets, connections, ...window };
        const runs = { baseline: [] as RouteRun[], headers: [] as RouteRun[], portal: [] as RouteRun[] };
        for (let round = 0; round < (paired ? o.rounds.count : 1); round++) {
          if (o.baselineConnections.includes(connections)) {
            runs.baseline.push(await measured(base.child.pid, { ...run, url: base.url }));
          }
          if (connections === top) {
            runs.headers.push(await measured(base.child.pid, { ...run, url: base.url, targets: headersTargets }));
          }
          // Every entry the run reads loaded afresh just before it: none reaches its TTL inside it (the shortest,
          // the sessions', is 30 s; a run is at most 13 s). Priming alone would leave the entries of the previous
          // priming to expire together mid-run — a thousand reloads in one window that production spreads over
          // the TTL (docs/decisions/041). A sync cycle landing in a run still counts: that is the product's.
          await purge(portal.url, o.admin);
          await prime(portal.url, targets, 32);
          // The priming's aftermath is not a warm read's work (docs/decisions/041).
          await settled(portal.pid);
          const r = await measured(portal.pid, { ...run, url: portal.url }, portal.url);
          if (r.errors) throw new Error(`${route} at ${connections} connections: ${r.errors} errors / non-2xx answers`);
          runs.portal.push(r);
        }
        const at = `${route} c=${connections}`;
        if (runs.baseline.length) {
          const b = pooled(runs.baseline);
          baseline[route][connections] = b;
          o.log(
            `  baseline ${at}: ${b.rps} req/s${perRound(b)}, p99 ${b.p99Ms} ms, ${b.cpuUsPerReq} µs CPU/req, ${b.writesPerReq} writes/req`,
          );
        }
        if (runs.headers.length) {
          const h = pooled(runs.headers);
          withHeaders[route][connections] = h;
          o.log(`  baseline + portal's headers ${at}: ${h.rps} req/s${perRound(h)}, ${h.cpuUsPerReq} µs CPU/req`);
        }
        const r = pooled(runs.portal);
        warm[route][connections] = r;
        o.log(
          `  warm ${at}: ${r.rps} req/s${perRound(r)}, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ` +
            `${r.cpuUsPerReq} µs CPU/req, ${r.writesPerReq} writes/req, ${r.cacheMisses} cache loads; portal RSS ${rssMb(portal.pid)} MB`,
        );
      }
    }
  } finally {
    await base.child.stop();
  }
  return { warm, baseline, withHeaders, bytes: base.bytes };
}

/** Headers node:http writes itself, or that the baseline server sets per answer (content-length, x-request-id). */
const PER_ANSWER = new Set(['date', 'connection', 'keep-alive', 'content-length', 'content-type', 'x-request-id']);

/**
 * The bare node:http baseline in its own process, serving the bytes the portal answered the first user with
 * for each route (bench/baseline-server.mjs).
 */
async function startBaseline(portal: string, users: BenchUser[], workDir: string) {
  const bodies: Record<string, { contentType: string; body: string; headers: Record<string, string> }> = {};
  for (const route of Object.keys(WARM_ROUTES)) {
    const a = await request(`${portal}${WARM_ROUTES[route](users[0])}`, { token: users[0].token });
    if (a.status !== 200) throw new Error(`${route}: ${a.status} ${a.body.slice(0, 200)}`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(a.headers)) {
      if (typeof value === 'string' && !PER_ANSWER.has(name)) headers[name] = value;
    }
    bodies[route] = { contentType: String(a.headers['content-type']), body: a.body, headers };
  }
  const file = path.join(workDir, 'baseline-bodies.json');
  writeFileSync(file, JSON.stringify(bodies));
  const port = await freePort();
  const script = path.join(ROOT, 'bench', 'baseline-server.mjs');
  const child = startChild('baseline', process.execPath, [script, String(port), file], {
    env: { PATH: process.env.PATH },
    logFile: path.join(workDir, 'baseline.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/api/keys`, child, 5_000, 'baseline server');
  const bytes = Object.fromEntries(Object.entries(bodies).map(([k, v]) => [k, Buffer.byteLength(v.body)]));
  return { url, child, bytes };
}
