import type { browse } from '../scenarios/browse.js';
import type { QueryTime } from '../scenarios/queries.js';
import type { timedSync } from '../scenarios/sync.js';
import type { LoadResult } from './load.js';
import { WARM_USERS } from './options.js';
import type { SeedRun } from './world.js';

/** The shape of bench/results/latest.json (issue 4), plus a few extra fields that explain the figures. */
export interface BenchReport {
  runAt: string;
  mode: 'quick' | 'default' | 'large';
  machine: { cpus: number; cpuModel: string; memGb: number; node: string; os: string };
  scale: { users: number; keys: number; dailyRows: number; historyDays: number };
  /** How many users' tokens the warm runs rotated over (WARM_USERS unless `--warm-users`). */
  warmUsers?: number;
  baseline: Record<string, { rps: number; p50Ms: number; p99Ms: number; cpuUsPerReq: number }>;
  baselineByConnections: Record<string, Record<string, LoadResult & { cpuUsPerReq: number }>>;
  routes: Record<
    string,
    {
      warm: Record<string, LoadResult & { cpuUsPerReq: number }>;
      cold?: { p50Ms: number; p99Ms: number; samples: number };
      coldSessionCached?: { p50Ms: number; p99Ms: number; samples: number };
      ratioToBaseline: number;
      /** Each paired round's ratio (portal ÷ bare, windows back to back), when the top count ran in rounds. */
      ratioRounds?: number[];
      /**
       * The bare server sending the portal's other headers too (security headers, cache-control, x-request-id),
       * at the top connection count: what those headers cost, apart from the portal's own work.
       */
      baselineWithHeaders?: { rps: number; cpuUsPerReq: number };
      ratioToHeadersBaseline?: number;
      bytes: number;
    }
  >;
  /** The admin's cross-user leaderboard (scope=all), uncached: one index scan over every key. */
  leaderboardAll?: { p50Ms: number; p99Ms: number; samples: number };
  /** The uncached read-model queries, timed at the database client (bench/query-timer.ts). */
  queries?: import('../scenarios/queries.js').QueryTimes;
  stampede?: { concurrent: number; loads: number; distinctBodies: number; p50Ms: number; maxMs: number };
  browse?: Awaited<ReturnType<typeof browse>>;
  direct?: Record<string, { p50Ms: number; samples: number }>;
  sync?: {
    keys: number;
    ms: number;
    portalMs: number;
    /** The slower regular cycle with the direct reader of CRS's Redis (CRS_REDIS_URL), when it was measured. */
    direct?: { ms: number; portalMs: number };
    runs: Array<Awaited<ReturnType<typeof timedSync>> | SeedRun>;
  };
  /** The measured portal process: at the end, and its peak (VmHWM). */
  rssMb: number;
  peakRssMb: number;
  /** Its peak during each scenario (warm, browse, cold, stampede), each counted from the end of the one before. */
  peakRssByScenarioMb?: Record<string, number>;
  /** process.memoryUsage() of the portal at the end (rss, heapUsed, heapTotal, external, arrayBuffers), MB. */
  memoryMb: Record<string, number>;
  /** The seeding process's peak: it ran the full syncs (31 days of every key). */
  fullSyncPeakRssMb: number;
  notes: string[];
}

const f = (n: number | undefined, d = 1) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(d));
/** A query's client-side p99 (what its target is judged on), with PostgreSQL's own time beside it when measured. */
const queryFigure = (q: QueryTime) =>
  `${f(q.p99Ms, 2)} ms query (p50 ${f(q.p50Ms, 2)}${q.server ? `; PostgreSQL's own time p99 ${f(q.server.p99Ms, 2)}` : ''})`;
const int = (n: number | undefined) => (n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));

export interface Target {
  measure: string;
  target: string;
  figure: string;
  met: boolean | null;
}

/** Every target of docs/product.md §4 that this run measured, with its figure. */
export function targets(r: BenchReport): Target[] {
  const out: Target[] = [];
  const warm50 = Object.entries(r.routes).map(([route, v]) => ({ route, w: v.warm['50'], ratio: v.ratioToBaseline }));
  for (const { route, w, ratio } of warm50) {
    if (!w) continue;
    out.push({
      measure: `warm ${route} throughput vs bare node:http (50 conns)`,
      target: '≥ 50 %',
      figure: `${f(ratio * 100, 0)} % (${int(w.rps)} vs ${int(r.baseline[route]?.rps)} req/s)`,
      met: ratio >= 0.5,
    });
    out.push({
      measure: `warm ${route} p99 at 50 conns`,
      target: '≤ 15 ms',
      figure: `${f(w.p99Ms)} ms`,
      met: w.p99Ms <= 15,
    });
  }
  const cold = r.routes['/api/stats/usage']?.cold;
  if (cold) {
    const large = r.mode === 'large';
    out.push({
      measure: `cold usage 30 d p50 (${Math.round(r.scale.keys / r.scale.users)} keys/user, all caches purged)`,
      target: '≤ 20 ms',
      figure: `${f(cold.p50Ms, 2)} ms`,
      met: cold.p50Ms <= 20,
    });
    if (large) {
      const http = r.routes['/api/stats/usage']?.coldSessionCached ?? cold;
      const q = r.queries?.usage30d;
      out.push({
        measure: 'uncached per-user usage query p99 at scale (30 d, 10 keys)',
        target: '≤ 20 ms',
        figure:
          `${q ? `${queryFigure(q)}; ` : ''}` +
          `${f(http.p99Ms, 2)} ms as a cold HTTP request (p50 ${f(http.p50Ms, 2)})`,
        met: (q ?? http).p99Ms <= 20,
      });
      const boards: Array<[string, QueryTime | undefined, { p99Ms: number } | undefined]> = [
        ['a user’s keys', r.queries?.userLeaderboard, r.routes['/api/stats/leaderboard']?.coldSessionCached],
        ['all keys, admin', r.queries?.globalLeaderboard, r.leaderboardAll],
      ];
      for (const [which, q, http] of boards) {
        const used = q ?? http;
        if (!used) continue;
        out.push({
          measure: `uncached leaderboard query p99 at scale (${which})`,
          target: '≤ 5 ms',
          figure:
            `${q ? queryFigure(q) : ''}` +
            `${http ? `${q ? '; ' : ''}${f(http.p99Ms, 2)} ms as a cold HTTP request` : ''}`,
          met: used.p99Ms <= 5,
        });
      }
    }
  }
  if (r.browse) {
    const b = r.browse;
    const other = b.crsCallsOther;
    out.push({
      measure: `CRS calls while ${int(b.users)} users browse ${b.seconds} s`,
      target: 'only the sync’s own',
      figure:
        `${int(b.crsCalls)} calls: ${int(b.crsCallsBySync)} by the sync (${b.syncCycles} cycle(s) in the window, ` +
        `at most ${int(b.syncCycles ? b.syncCallsExpected / b.syncCycles : 0)} calls each), ${int(other)} by anything else`,
      met: other === 0 && b.crsCalls <= b.syncCallsExpected,
    });
    out.push({
      measure: 'cache hit rate in the browse mix',
      target: '≥ 95 %',
      figure: `${f(b.hitRate * 100, 2)} %`,
      met: b.hitRate >= 0.95,
    });
  }
  if (r.stampede) {
    out.push({
      measure: `${r.stampede.concurrent} concurrent identical cold requests`,
      target: '1 load',
      figure: `${r.stampede.loads} load(s)`,
      met: r.stampede.loads === 1,
    });
  }
  if (r.sync?.ms && r.mode === 'large') {
    out.push({
      measure: `one sync cycle of ${int(r.sync.keys)} keys (the portal’s own work: its CPU time)`,
      target: '≤ 30 s',
      figure: `${f(r.sync.portalMs / 1000)} s (wall time ${f(r.sync.ms / 1000)} s, waiting on CRS’s simulated latency)`,
      met: r.sync.portalMs <= 30_000,
    });
  }
  if (r.sync?.direct) {
    out.push({
      measure: `one sync cycle of ${int(r.sync.keys)} keys reading CRS’s Redis (CRS_REDIS_URL), end to end`,
      target: '≤ 30 s',
      figure: `${f(r.sync.direct.ms / 1000)} s wall (${f(r.sync.direct.portalMs / 1000)} s portal CPU)${r.sync.ms ? `; through the admin API alone ${f(r.sync.ms / 1000)} s` : ''}`,
      met: r.mode === 'large' ? r.sync.direct.ms <= 30_000 : null,
    });
  }
  out.push({
    measure: `portal RSS${r.mode === 'large' ? ' at scale' : ''} (serving, syncing every minute)`,
    target: '≤ 300 MB',
    figure: `${r.rssMb} MB at the end, peak ${r.peakRssMb} MB${byScenario(r.peakRssByScenarioMb)}`,
    met: r.mode === 'large' ? r.peakRssMb <= 300 : null,
  });
  for (const run of r.sync?.runs ?? []) {
    if ('seeding' in run) continue;
    out.push({
      measure: `portal RSS during a ${run.full ? 'full sync (31 days of every key)' : `regular sync cycle${totalsOf(run)}`}, ${sourceOf(run)}CRS latency ${run.latency}`,
      target: '≤ 300 MB',
      figure: `peak ${run.peakRssMb} MB (${run.rssBeforeMb ?? '–'} MB before it)`,
      met: r.mode === 'large' ? run.peakRssMb <= 300 : null,
    });
  }

  return out;
}

/** Where a measured cycle read CRS's usage (the admin API unless said). */
const sourceOf = (run: { source?: string }) => (run.source === 'redis' ? 'CRS’s Redis, ' : '');

/** Whether a measured cycle read usage-stats or let the trend carry the totals (decision 032). */
const totalsOf = (run: { totalsRead?: boolean; full?: boolean }) =>
  run.full ? '' : run.totalsRead ? ', usage-stats read' : ', totals from the trend';

export function markdown(r: BenchReport): string {
  const lines: string[] = [];
  const conns = Object.keys(Object.values(r.routes)[0]?.warm ?? {});
  lines.push(
    `Run ${r.runAt} (${r.mode}) on ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memGb} GB, Node ${r.machine.node}; ` +
      `${int(r.scale.users)} users, ${int(r.scale.keys)} keys, ${int(r.scale.dailyRows)} daily rows (${r.scale.historyDays} days)` +
      `${r.warmUsers && r.warmUsers !== WARM_USERS ? `; warm runs over ${int(r.warmUsers)} user(s)’ tokens` : ''}.`,
    '',
  );
  const head = [
    'route',
    ...conns.map((c) => `warm c=${c} req/s · p50 · p99 (ms)`),
    'bare node:http c=50 req/s',
    'ratio',
    'node:http + the portal’s headers c=50 req/s · ratio',
    'cold p50 · p99 (ms)',
  ];
  lines.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
  for (const [route, v] of Object.entries(r.routes)) {
    const cells = conns.map((c) => {
      const w = v.warm[c];
      return w ? `${int(w.rps)} · ${f(w.p50Ms)} · ${f(w.p99Ms)}` : '–';
    });
    const cold = v.cold ? `${f(v.cold.p50Ms, 2)} · ${f(v.cold.p99Ms, 2)}` : '–';
    const h = v.baselineWithHeaders;
    const withHeaders = h ? `${int(h.rps)} · ${f((v.ratioToHeadersBaseline ?? 0) * 100, 0)} %` : '–';
    const spread = v.ratioRounds?.length
      ? ` (rounds ${f(Math.min(...v.ratioRounds) * 100, 0)}–${f(Math.max(...v.ratioRounds) * 100, 0)})`
      : '';
    lines.push(
      `| \`${route}\` | ${cells.join(' | ')} | ${int(r.baseline[route]?.rps)} | ${f(v.ratioToBaseline * 100, 0)} %${spread} | ${withHeaders} | ${cold} |`,
    );
  }
  lines.push('', '| measure | target | figure | met |', '| --- | --- | --- | --- |');
  for (const t of targets(r))
    lines.push(
      `| ${t.measure} | ${t.target} | ${t.figure} | ${t.met === null ? 'n/a at this scale' : t.met ? 'yes' : '**no**'} |`,
    );
  const extra: string[] = [];
  if (r.direct) {
    for (const [name, d] of Object.entries(r.direct))
      extra.push(`| direct CRS call: ${name} | p50 ${int(d.p50Ms)} ms |`);
    const usage = r.routes['/api/stats/usage'];
    const batch = Object.entries(r.direct).find(([k]) => k.startsWith('batch-stats'))?.[1];
    if (usage?.cold && batch) {
      extra.push(`| portal usage (cold) vs that direct call | ${int(batch.p50Ms / usage.cold.p50Ms)}× faster |`);
    }
  }
  if (r.sync) {
    for (const run of r.sync.runs) {
      const what = `${run.full ? 'full, 31 d' : 'regular, 2 d'}${'seeding' in run ? '; ' : `${totalsOf(run)}; ${sourceOf(run)}`}CRS latency ${run.latency}`;
      extra.push(
        'seeding' in run
          ? `| sync cycle while seeding (${what}) | ${int(run.ms)} ms (the portal’s work and the emulator’s, in one) |`
          : `| sync cycle (${what}) | ${int(run.ms)} ms wall, ${int(run.portalMs)} ms portal CPU, ${int(run.crsCalls)} CRS calls |`,
      );
    }
  }
  if (r.browse) {
    const b = r.browse;
    extra.push(
      `| browse mix | ${int(b.requests)} requests at ${b.connections} conns, ${int(b.rps)} req/s, p99 ${f(b.p99Ms)} ms |`,
    );
  }
  if (extra.length) lines.push('', '| also measured | |', '| --- | --- |', ...extra);
  return lines.join('\n');
}

/** ` (warm 262, browse 310, …)`: where the peak was reached. */
function byScenario(peaks: Record<string, number> | undefined): string {
  const parts = Object.entries(peaks ?? {}).map(([name, mb]) => `${name} ${mb}`);
  return parts.length ? ` (${parts.join(', ')}; each sync cycle below)` : '';
}
