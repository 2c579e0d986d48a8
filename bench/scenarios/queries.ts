import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchUser } from '../lib/seed.js';
import { ROOT } from '../lib/stack.js';

const execFileAsync = promisify(execFile);

/** At the client (what the targets are judged on), and PostgreSQL's own planning + execution time beside it. */
export interface QueryTime {
  p50Ms: number;
  p99Ms: number;
  samples: number;
  server?: { p50Ms: number; p99Ms: number };
}

export interface QueryTimes {
  usage30d: QueryTime;
  userLeaderboard: QueryTime;
  globalLeaderboard: QueryTime;
  /**
   * What the machine did while the client samples were taken, in cores (CPU seconds a second): all of it, the
   * timer itself, the portal (its scheduled sync) and the harness (the CRS emulator answering that sync). A tail at
   * the client far above PostgreSQL's own time is a wait for a core (docs/decisions/042).
   */
  beside: {
    seconds: number;
    machineCores: number;
    timerCores: number;
    portalCores: number;
    harnessCores: number;
    /** Samples that a garbage collection of the timer still fell into (it collects before each one). */
    samplesWithTimerGc: number;
  };
}

/**
 * The uncached read-model queries, timed by bench/query-timer.ts in a process of its own: `users`' queries are
 * measured after the same queries of `warmup` (other users: their pages, not the measured ones', are read in).
 */
export async function timedQueries(
  dbUrl: string,
  sample: { users: BenchUser[]; warmup: BenchUser[] },
  workDir: string,
  portalPid: number,
): Promise<QueryTimes> {
  const file = path.join(workDir, 'query-users.json');
  const ids = (us: BenchUser[]) => us.map((u) => u.id);
  writeFileSync(file, JSON.stringify({ measured: ids(sample.users), warmup: ids(sample.warmup), portalPid }));
  const script = path.join(ROOT, 'bench', 'query-timer.ts');
  // Same loader as this process (tsx), so the product's TypeScript runs as is.
  const { stdout } = await execFileAsync(
    process.execPath,
    [...process.execArgv, '--expose-gc', script, dbUrl, file, '40'],
    {
      cwd: ROOT,
      timeout: 10 * 60_000,
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as QueryTimes;
}
