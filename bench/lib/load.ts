import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pool, request, round } from './http.js';
import { onCleanup } from './procs.js';

const GENERATOR = path.resolve(import.meta.dirname, '..', 'load-generator.mjs');

/** One request of a rotation: the path and the caller's bearer token. */
export interface Target {
  path: string;
  token?: string;
}

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** The measured part's length (autocannon's), s. */
  seconds: number;
  errors: number;
}

/**
 * autocannon against `url` for `seconds` (after `warmupSec` of the same load, not counted), rotating through
 * `targets` request by request (`setupRequest`), so a run spreads over many users' tokens rather than one.
 * Each run is a child process (bench/load-generator.mjs) with its own event loop and core. Latencies are
 * autocannon's (whole milliseconds); any non-2xx answer or socket error is counted and reported.
 * `onMeasure` runs when the measured part starts (after the warm-up), `afterMeasure` when it has ended.
 */
export async function load(opts: {
  url: string;
  targets: Target[];
  connections: number;
  seconds: number;
  warmupSec?: number;
  onMeasure?: () => unknown;
}): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kp-load-'));
  const spec = path.join(dir, 'spec.json');
  try {
    writeFileSync(spec, JSON.stringify({ url: opts.url, connections: opts.connections, targets: opts.targets }));
    return await run(spec, opts.warmupSec ?? 0, opts.seconds, opts.onMeasure);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One generator process; stopped by its pid at cleanup if the harness is interrupted meanwhile. */
async function run(specFile: string, warmup: number, seconds: number, onMeasure?: () => unknown) {
  const args = [GENERATOR, specFile, String(warmup), String(seconds)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let measuring: unknown;
  child.stdout.on('data', (c: Buffer) => {
    out += c;
    if (measuring === undefined && out.includes('measuring\n')) measuring = onMeasure?.() ?? null;
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c;
  });
  let exited = false;
  const code = new Promise<number | null>((resolve) =>
    child.once('exit', (c) => {
      exited = true;
      resolve(c);
    }),
  );
  onCleanup('load generator', async () => {
    if (!exited && child.pid) process.kill(child.pid, 'SIGKILL');
  });
  if ((await code) !== 0) throw new Error(`load generator failed: ${err.slice(0, 500)}`);
  await measuring;
  const r = JSON.parse(out.trim().split('\n').pop()!) as {
    duration: number;
    total: number;
    p50: number;
    p99: number;
    errors: number;
  };
  return {
    rps: Math.round(r.total / Math.max(r.duration, 1e-9)),
    p50Ms: round(r.p50, 1),
    p99Ms: round(r.p99, 1),
    requests: r.total,
    seconds: r.duration,
    errors: r.errors,
  };
}

/** Requests every target once (a cache entry for each), so that a following run measures warm reads. */
export async function prime(url: string, targets: Target[], concurrency = 16): Promise<void> {
  await pool(targets, concurrency, async (t) => {
    const a = await request(`${url}${t.path}`, { token: t.token });
    if (a.status !== 200) throw new Error(`priming ${t.path}: ${a.status} ${a.body.slice(0, 200)}`);
  });
}
