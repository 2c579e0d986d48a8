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
}

/** The uncached read-model queries, timed by bench/query-timer.ts in a process of its own. */
export async function timedQueries(dbUrl: string, users: BenchUser[], workDir: string): Promise<QueryTimes> {
  const file = path.join(workDir, 'query-users.json');
  writeFileSync(file, JSON.stringify(users.map((u) => u.id)));
  const script = path.join(ROOT, 'bench', 'query-timer.ts');
  // Same loader as this process (tsx), so the product's TypeScript runs as is.
  const { stdout } = await execFileAsync(process.execPath, [...process.execArgv, script, dbUrl, file, '40'], {
    cwd: ROOT,
    timeout: 10 * 60_000,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as QueryTimes;
}
