import os from 'node:os';
import path from 'node:path';
import { browse } from '../scenarios/browse.js';
import { coldReads, coldRepeated, stampede } from '../scenarios/cold.js';
import { directCalls } from '../scenarios/direct.js';
import { timedQueries } from '../scenarios/queries.js';
import { timedSync } from '../scenarios/sync.js';
import { targetsFor, WARM_ROUTES, warmAndBaseline } from '../scenarios/warm.js';
import { startCrsRedis } from './crs-redis.js';
import { scrape } from './metrics.js';
import type { BenchOptions } from './options.js';
import { peakRssMb, resetPeakRss, rssMb } from './procs.js';
import { summariseProfiles } from './profile.js';
import type { BenchReport } from './report.js';
import { ensureBuild, ROOT, startPortalProcess, startStack } from './stack.js';
import { buildWorld } from './world.js';

export async function runBench(
  o: BenchOptions,
  ctx: { workDir: string; log: (s: string) => void },
): Promise<BenchReport> {
  const { log } = ctx;
  const wants = (s: string) => !o.only || o.only.has(s);
  const notes: string[] = [];
  ensureBuild(log);
  const profileDir = o.profile ? path.join(ROOT, 'bench', 'results', 'profiles') : undefined;
  const stack = await startStack({ workDir: ctx.workDir });
  let { portal } = stack;
  const { emulator, sql } = stack;
  log(`portal pid ${portal.pid} at ${portal.url}; CRS emulator at ${emulator.url}`);

  const { world, scale, seedRuns, fullSyncPeakRssMb } = await buildWorld(o, stack, log);

  // A new portal process on the seeded database, with the production defaults (sync every 60 s) and, with
  // --profile, --cpu-prof: the profile then covers the measurements only.
  await portal.stop();
  portal = await startPortalProcess(stack.env, ctx.workDir, profileDir);
  log(`portal restarted for the measurements (pid ${portal.pid}${profileDir ? ', --cpu-prof' : ''})`);

  // --- measurements, CRS with its realistic latency ----------------------------------------------------------
  emulator.setLatency('realistic');
  const direct = wants('direct') ? directCalls(emulator, world.users, o.directSamples) : undefined;
  direct?.catch(() => {});
  const warmOpts = {
    seconds: o.warmSec,
    warmupSec: o.warmupSec,
    rounds: o.rounds,
    admin: world.admin,
    connections: o.connections,
    baselineConnections: o.baselineConnections,
    workDir: ctx.workDir,
    routes: o.routes,
    log,
  };
  // The measured process's peak RSS per scenario: each one restarts the count (the sync cycles do so themselves).
  const peaks: Record<string, number> = {};
  const scenarioDone = (name: string) => {
    peaks[name] = peakRssMb(portal.pid);
    resetPeakRss(portal.pid);
  };
  const warmUsers = world.users.slice(0, o.warmUsers);
  const measuredWarm = wants('warm') ? await warmAndBaseline(portal, warmUsers, warmOpts) : undefined;
  if (measuredWarm) scenarioDone('warm');

  const routes: BenchReport['routes'] = {};
  const top = String(Math.max(...o.connections));
  for (const route of Object.keys(WARM_ROUTES)) {
    const w = measuredWarm?.warm[route] ?? {};
    const b = measuredWarm?.baseline[route]?.[top];
    const h = measuredWarm?.withHeaders[route]?.[top];
    const ratio = (to: { rps: number } | undefined) =>
      w[top] && to ? Math.round((w[top].rps / to.rps) * 1000) / 1000 : 0;
    // Each round's ratio, from windows run back to back: how much of the spread is the machine's.
    const rounds = b && w[top] && b.roundsRps.length > 1 ? w[top].roundsRps.map((rps, i) => rps / b.roundsRps[i]) : [];
    routes[route] = {
      warm: w,
      ratioToBaseline: ratio(b),
      ...(rounds.length ? { ratioRounds: rounds.map((x) => Math.round(x * 1000) / 1000) } : {}),
      ...(h
        ? { baselineWithHeaders: { rps: h.rps, cpuUsPerReq: h.cpuUsPerReq }, ratioToHeadersBaseline: ratio(h) }
        : {}),
      bytes: measuredWarm?.bytes[route] ?? 0,
    };
  }
  // At most: the trend, the list pages, usage-stats (every SYNC_TOTALS_INTERVAL, decision 032), one hourly trend
  // read, and the per-key reads' budgets (SYNC_LIMIT_READS 50, SYNC_MODEL_READS 20 by default), spent only on keys used.
  const callsPerCycle = 2 + Math.max(1, Math.ceil(scale.keys / 100)) + 1 + 50 + 20;
  const browseResult = wants('browse')
    ? await browse(portal.url, emulator, world.users.slice(0, o.browseUsers), {
        seconds: o.browseSec,
        connections: o.browseConnections,
        trafficRpm: o.trafficRpm,
        callsPerCycle,
        views: o.browseViews,
      })
    : undefined;
  if (browseResult) {
    scenarioDone('browse');
    log(`  browse: ${JSON.stringify(browseResult)}`);
  }

  let leaderboardAll: BenchReport['leaderboardAll'];
  let queries: BenchReport['queries'];
  if (wants('cold')) {
    const sample = world.users.slice(0, Math.min(o.coldSamples, world.users.length));
    for (const route of Object.keys(WARM_ROUTES)) {
      const pathOf = (u: (typeof sample)[number]) => targetsFor(route, [u])[0].path;
      routes[route].cold = await coldReads(portal.url, world.admin, sample, pathOf);
      routes[route].coldSessionCached = await coldReads(
        portal.url,
        world.admin,
        sample.slice().reverse(),
        pathOf,
        'stats',
      );
      log(
        `  cold ${route}: ${JSON.stringify(routes[route].cold)}; sessions cached: ${JSON.stringify(routes[route].coldSessionCached)}`,
      );
    }
    // The operator's cross-user board: an index scan over every key, uncached each time.
    const n = o.mode === 'quick' ? 5 : 40;
    leaderboardAll = await coldRepeated(portal.url, world.admin, '/api/stats/leaderboard?scope=all', n);
    log(`  cold leaderboard scope=all (admin): ${JSON.stringify(leaderboardAll)}`);
    // Warmed up on the users after the measured ones (on the same ones when the world has no others).
    const measured = world.users.slice(0, o.coldSamples);
    const rest = world.users.slice(o.coldSamples, 2 * o.coldSamples);
    const warmup = rest.length >= 20 ? rest : measured;
    queries = await timedQueries(stack.dbUrl, { users: measured, warmup }, ctx.workDir, portal.pid);
    log(`  uncached queries: ${JSON.stringify(queries)}`);
    const b = queries.beside;
    notes.push(
      `While the read-model queries were timed (${b.seconds} s) the machine was busy ${b.machineCores} of ` +
        `${os.cpus().length} cores: the timer ${b.timerCores}, the portal ${b.portalCores} (its scheduled sync), ` +
        `the harness ${b.harnessCores} (the CRS emulator answering it), the rest mostly PostgreSQL.`,
    );
    scenarioDone('cold');
  }
  const stampedeResult = wants('stampede')
    ? await stampede(portal.url, world.admin, world.users[1], o.stampede)
    : undefined;
  if (stampedeResult) {
    scenarioDone('stampede');
    log(`  stampede: ${JSON.stringify(stampedeResult)}`);
  }

  let sync: BenchReport['sync'];
  let measured: Awaited<ReturnType<typeof memoryOf>> | undefined;
  const timeoutMs = 20 * 60_000;
  // Some keys changed since the last cycle (the browse's traffic, and a short burst when it did not run).
  const burst = { trafficRpm: 30_000, trafficSec: browseResult ? 0 : 1, timeoutMs };
  if (wants('sync')) {
    // A regular cycle as SYNC_TOTALS_INTERVAL has it (usually the trend alone), then one that reads usage-stats too.
    const realistic = await timedSync(portal, sql, world.admin, emulator, { ...burst, latency: 'realistic' });
    log(`  sync (realistic): ${JSON.stringify(realistic)}`);
    const withTotals = await timedSync(portal, sql, world.admin, emulator, {
      ...burst,
      latency: 'realistic',
      readTotals: true,
    });
    log(`  sync (realistic, usage-stats read): ${JSON.stringify(withTotals)}`);
    const runs = [realistic, withTotals];
    if (o.syncWithoutLatency) {
      const none = await timedSync(portal, sql, world.admin, emulator, { ...burst, latency: 'none' });
      log(`  sync (none): ${JSON.stringify(none)}`);
      // The daily full cycle (31 days of every key) on the measured process: its memory peak.
      const full = await timedSync(portal, sql, world.admin, emulator, { ...burst, latency: 'none', full: true });
      log(`  full sync (none): ${JSON.stringify(full)}`);
      runs.push(none, full);
    }
    // The target's figure is the slower of the two regular cycles: the one that also waits for usage-stats.
    sync = { keys: scale.keys, ms: withTotals.ms, portalMs: withTotals.portalMs, runs: [...runs, ...seedRuns] };
  }
  if (o.directSync && (wants('sync') || wants('direct-sync'))) {
    // The same cycles with the direct reader (CRS_REDIS_URL, decisions 022, 037): the emulator's whole state is
    // written to a second Redis in CRS's layout, then mirrored as traffic goes on; a portal process reading it
    // replaces the measured one (its RSS before each cycle is reported beside the peak).
    const t = performance.now();
    // What the regular cycles read (2 days, their hours): the whole layout is ~7 GB at 100,000 keys × 30 days.
    const crsRedis = await startCrsRedis(emulator, { readerDays: 3 });
    log(
      `  CRS's Redis (reader's keys, 3 days): ${JSON.stringify(crsRedis.snapshot)} in ${Math.round(performance.now() - t)} ms`,
    );
    // The serving process's figures (its peak covers every scenario and the cycles above) before it goes.
    measured = await memoryOf(portal);
    await portal.stop();
    portal = await startPortalProcess({ ...stack.env, CRS_REDIS_URL: crsRedis.url }, ctx.workDir, profileDir);
    const viaRedis = { ...burst, source: 'redis' as const, latency: 'realistic' as const };
    const direct = await timedSync(portal, sql, world.admin, emulator, viaRedis);
    log(`  sync (CRS's Redis, realistic): ${JSON.stringify(direct)}`);
    const directTotals = await timedSync(portal, sql, world.admin, emulator, { ...viaRedis, readTotals: true });
    log(`  sync (CRS's Redis, realistic, usage-stats read): ${JSON.stringify(directTotals)}`);
    const slower = directTotals.ms >= direct.ms ? directTotals : direct;
    sync ??= { keys: scale.keys, ms: 0, portalMs: 0, runs: [...seedRuns] };
    sync.direct = { ms: slower.ms, portalMs: slower.portalMs };
    sync.runs.push(direct, directTotals);
  }

  const { rss, peak: sinceLastReset, memoryMb } = measured ?? (await memoryOf(portal));
  // The measured process's peak over the whole run: its scenarios', its sync cycles', and what came after them.
  const mainCycles = (sync?.runs ?? []).filter((r) => !('seeding' in r) && r.source !== 'redis') as Array<{
    peakRssMb: number;
  }>;
  const peak = Math.max(sinceLastReset, ...Object.values(peaks), ...mainCycles.map((r) => r.peakRssMb));
  log(`  portal memory (MB): ${JSON.stringify(memoryMb)}; peak RSS by scenario: ${JSON.stringify(peaks)}`);
  const directResult = direct ? await direct : undefined;
  if (directResult) log(`  direct: ${JSON.stringify(directResult)}`);
  if (o.profile) {
    await portal.stop();
    notes.push(summariseProfiles(profileDir!));
  }
  const baselineTop: BenchReport['baseline'] = {};
  for (const [route, byConn] of Object.entries(measuredWarm?.baseline ?? {})) {
    const b = byConn[top];
    if (b) baselineTop[route] = { rps: b.rps, p50Ms: b.p50Ms, p99Ms: b.p99Ms, cpuUsPerReq: b.cpuUsPerReq };
  }
  return {
    runAt: new Date().toISOString(),
    mode: o.mode,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      memGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.versions.node,
      os: `${os.type()} ${os.release()}`,
    },
    scale,
    warmUsers: o.warmUsers,
    baseline: baselineTop,
    baselineByConnections: measuredWarm?.baseline ?? {},
    routes,
    leaderboardAll,
    queries,
    stampede: stampedeResult,
    browse: browseResult,
    direct: directResult,
    sync,
    rssMb: rss,
    peakRssMb: peak,
    peakRssByScenarioMb: peaks,
    memoryMb,
    fullSyncPeakRssMb,
    notes,
  };
}

/** The portal's RSS now and its peak (VmHWM), and what the RSS is made of as the portal itself reports it. */
async function memoryOf(portal: { pid: number; url: string }) {
  const memory = (await scrape(portal.url)).by('kp_process_memory_bytes', 'kind');
  const memoryMb = Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, Math.round(v / 2 ** 20)]));
  return { rss: rssMb(portal.pid), peak: peakRssMb(portal.pid), memoryMb };
}
