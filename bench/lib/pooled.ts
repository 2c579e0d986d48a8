import type { LoadResult } from './load.js';

export interface RouteRun extends LoadResult {
  /** CPU time the server process used per request (user + system), µs: the cost, whatever else runs. */
  cpuUsPerReq: number;
  /** Write system calls the server process made per request (an answer is one write; more: see writeSyscalls). */
  writesPerReq: number;
  /** Cache loads during the run (all namespaces; the portal only): TTL expiries, or a sync's invalidations. */
  cacheMisses?: number;
}

/** Paired rounds at the ratio's connection count: how many, and each window's measured and warm-up seconds. */
export interface Rounds {
  count: number;
  seconds: number;
  warmupSec: number;
}

/** Several windows of the same load as one: requests and seconds summed, CPU and writes weighted by requests. */
export interface PooledRun extends RouteRun {
  /** Each window's rate, in order (one entry when the load ran once). */
  roundsRps: number[];
}

/**
 * Pools windows: the rate is all requests over all measured seconds; p50 the windows' median, p99 the worst
 * window's (percentiles do not pool; the worst is the honest one to quote).
 */
export function pooled(runs: RouteRun[]): PooledRun {
  const sum = (f: (r: RouteRun) => number) => runs.reduce((n, r) => n + f(r), 0);
  const requests = sum((r) => r.requests);
  const weighted = (f: (r: RouteRun) => number) => sum((r) => f(r) * r.requests) / Math.max(1, requests);
  const p50s = runs.map((r) => r.p50Ms).sort((a, b) => a - b);
  const misses = runs.map((r) => r.cacheMisses);
  const seconds = sum((r) => r.seconds);
  return {
    requests,
    seconds,
    rps: Math.round(requests / Math.max(1e-9, seconds)),
    p50Ms: p50s[Math.floor((p50s.length - 1) / 2)],
    p99Ms: Math.max(...runs.map((r) => r.p99Ms)),
    errors: sum((r) => r.errors),
    cpuUsPerReq: Math.round(weighted((r) => r.cpuUsPerReq)),
    writesPerReq: Math.round(weighted((r) => r.writesPerReq) * 100) / 100,
    ...(misses.every((m) => m === undefined) ? {} : { cacheMisses: misses.reduce((n: number, m) => n + (m ?? 0), 0) }),
    roundsRps: runs.map((r) => r.rps),
  };
}

/** " (rounds 31200 · 29800 · 30400)" when the load ran in several windows. */
export const perRound = (r: PooledRun) => (r.roundsRps.length > 1 ? ` (rounds ${r.roundsRps.join(' · ')})` : '');
