import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from '../../tests/support/free-port.js';
import { startPostgres } from '../../tests/support/postgres-server.js';
import { RedisServer } from '../../tests/support/redis-server.js';
import { type BenchEmulator, startBenchEmulator } from './emulator.js';
import { request } from './http.js';
import { type Child, onCleanup, startChild } from './procs.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CRS_PASSWORD = 'bench-admin-password';

export interface Stack {
  dbUrl: string;
  redisUrl: string;
  /** The harness's own connection: bulk inserts of the inputs (users, sessions) and read-only checks. */
  sql: pg.Pool;
  emulator: BenchEmulator;
  portal: Child & { url: string };
  env: NodeJS.ProcessEnv;
}

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const e of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/**
 * The server half of `npm run build` (tsc → dist/) when dist/main.js is missing or older than src/. The web
 * UI's Vite build is not needed to measure the API, and is left to `npm run build` / `npm start`.
 */
export function ensureBuild(log: (s: string) => void): void {
  const main = path.join(ROOT, 'dist', 'main.js');
  const built = existsSync(main) ? newestMtime(path.join(ROOT, 'dist')) : 0;
  if (built >= newestMtime(path.join(ROOT, 'src'))) return;
  log('dist/ is older than src/: building the server (tsc -p tsconfig.build.json)…');
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

export async function startInfra() {
  const [pgServer, redis] = await Promise.all([startPostgres(), RedisServer.start()]);
  onCleanup('postgres', () => pgServer.stop());
  onCleanup('redis', () => redis.stop());
  const admin = new pg.Client({ connectionString: pgServer.url });
  await admin.connect();
  await admin.query('create database kp_bench');
  await admin.end();
  const dbUrl = pgServer.url.replace(/\/postgres$/, '/kp_bench');
  const sql = new pg.Pool({ connectionString: dbUrl, max: 4 });
  onCleanup('harness db pool', () => sql.end());
  return { dbUrl, redisUrl: redis.url, sql };
}

export async function startStack(opts: { workDir: string }): Promise<Stack> {
  const infra = await startInfra();
  const emulator = await startBenchEmulator({ latency: 'none', password: CRS_PASSWORD });
  onCleanup('crs emulator', () => emulator.close());
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATA_DIR: path.join(opts.workDir, 'data'),
    DATABASE_URL: infra.dbUrl,
    REDIS_URL: infra.redisUrl,
    CRS_BASE_URL: emulator.url,
    CRS_ADMIN_USERNAME: 'admin',
    CRS_ADMIN_PASSWORD: CRS_PASSWORD,
    LOG_LEVEL: 'warn',
    // The measured portal syncs every 60 s, as in production; BENCH_SYNC_INTERVAL=3600 measures without it.
    ...(process.env.BENCH_SYNC_INTERVAL ? { SYNC_INTERVAL: process.env.BENCH_SYNC_INTERVAL } : {}),
    // Node's defaults, as the image runs it; BENCH_NODE_OPTIONS to compare V8 settings (docs/decisions/038).
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  };
  // CRS's realistic latency grows with its number of keys: usage-stats ≈ 6 s at 5,000 keys, ≈ 125 s at 100,000,
  // within the sync's bulk-read timeout (CRS_SYNC_TIMEOUT_MS, default 300 s).
  // The portal that seeds syncs only when asked (and once at start): its scheduled sync every minute would
  // otherwise race 100,000 key creations with cycles over an ever larger key set. The measurements run on a
  // new process with the defaults (scenario-runner.ts).
  const portal = await startPortalProcess({ ...env, SYNC_INTERVAL: '3600' }, opts.workDir);
  return { ...infra, emulator, portal, env };
}

/** `node dist/main.js` — the start path of `npm start` — as a child process; `profileDir`: with --cpu-prof. */
export async function startPortalProcess(
  env: NodeJS.ProcessEnv,
  workDir: string,
  profileDir?: string,
  entry = path.join(ROOT, 'dist', 'main.js'),
): Promise<Child & { url: string }> {
  const port = await freePort();
  // E.g. BENCH_PORTAL_NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2, to take heap snapshots of the measured process
  // (bench/heap-summary.ts reads them).
  const nodeArgs = (process.env.BENCH_PORTAL_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  const child = startChild('portal', process.execPath, [...nodeArgs, entry], {
    env: { ...env, PORT: String(port) },
    cwd: ROOT,
    logFile: path.join(workDir, 'portal.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/metrics`, child, 60_000, 'portal');
  return Object.assign(child, { url });
}

/**
 * Polls `url` until it answers 200 (a server that is up), failing early if the child process exits and after
 * `timeoutMs`; `name` says what did not start (its log is in the work directory).
 */
export async function waitReady(url: string, child: Child, timeoutMs: number, name: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the ${name} exited during startup (see its log in the work directory)`);
    const ok = await request(url, { timeoutMs: 2000 }).then(
      (a) => a.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(50);
  }
  await child.stop();
  throw new Error(`the ${name} did not answer within ${timeoutMs} ms`);
}
