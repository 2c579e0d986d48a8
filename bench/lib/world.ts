import type { BenchOptions } from './options.js';
import { peakRssMb } from './procs.js';
import { createKeys, insertUsers, seedHistory, syncOnce, type World } from './seed.js';
import type { Stack } from './stack.js';

/** A full sync run while seeding (the portal's work and the emulator's, in one). */
export interface SeedRun {
  latency: 'none';
  full: true;
  ms: number;
  seeding: true;
}

export interface Scale {
  users: number;
  keys: number;
  dailyRows: number;
  historyDays: number;
}

/**
 * Seeds the scale asked for through the product's paths: users and sessions inserted (inputs), keys created
 * with POST /api/keys, CRS history seeded in the emulator and brought in by full syncs. CRS keeps 32 days, so
 * longer histories are seeded 30 days at a time with CRS's clock moved back, each round followed by a full sync.
 */
export async function buildWorld(o: BenchOptions, stack: Stack, log: (s: string) => void) {
  const { portal, emulator, sql } = stack;
  const world: World = await insertUsers(sql, o.users);
  log(`${o.users} users and their sessions inserted`);
  await createKeys(portal.url, world.users, o.keysPerUser, (n) => log(`  ${n} keys created`));
  log(`${o.users * o.keysPerUser} keys created through POST /api/keys`);
  const seedRuns: SeedRun[] = [];
  const rounds = Math.ceil(o.historyDays / 30);
  for (let r = 0; r < rounds; r++) {
    const back = (rounds - 1 - r) * 30;
    const days = Math.min(30, o.historyDays - back);
    emulator.setDaysBack(back);
    const t = performance.now();
    seedHistory(emulator, days, o.requestsPerDay, r);
    log(`  CRS history: ${days} days ending ${back} days ago seeded in ${Math.round(performance.now() - t)} ms`);
    const s = await syncOnce(portal.url, sql, world.admin, { full: true, timeoutMs: 30 * 60_000 });
    seedRuns.push({ latency: 'none', full: true, ms: Math.round(s.ms), seeding: true });
    log(`  full sync (CRS latency none): ${Math.round(s.ms)} ms`);
  }
  emulator.setDaysBack(0);
  const counts = await sql.query<{ keys: string; rows: string }>(
    'select (select count(*) from api_keys) as keys, (select count(*) from usage_daily) as rows',
  );
  const scale: Scale = {
    users: o.users,
    keys: Number(counts.rows[0].keys),
    dailyRows: Number(counts.rows[0].rows),
    historyDays: o.historyDays,
  };
  log(`scale: ${JSON.stringify(scale)}`);
  // The seeding process went through the full syncs: its peak RSS is the full sync's.
  return { world, scale, seedRuns, fullSyncPeakRssMb: peakRssMb(portal.pid) };
}
