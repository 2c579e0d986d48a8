import type { Deps } from '../deps.js';
import { databaseFailureCause } from '../infra/db/diagnose.js';
import { within } from '../lib/within.js';

/**
 * The dependency checks behind /readyz and /api/health. Each is bounded (a probe never waits longer than
 * CHECK_BOUND_MS for a dependency: past it the dependency is reported down) and cached briefly (probes every
 * second from several load balancers cost one check per dependency per period). A check still running when
 * the bound passes goes on in the background and its result is kept for the next request.
 */
export const CHECK_BOUND_MS = 1000;

export type CheckStatus = 'up' | 'down' | 'disabled';

export interface CheckResult {
  status: CheckStatus;
  /** Why it is down, in words ("credentials rejected", "connection refused (ECONNREFUSED)"…). */
  reason?: string;
  /** How long the check took (absent when it did not finish within the bound). */
  latencyMs?: number;
  checkedAt: number;
}

type Outcome = Pick<CheckResult, 'status' | 'reason'>;

export function boundedCheck(
  run: () => Promise<Outcome>,
  opts: { cacheMs: number; boundMs?: number },
): () => Promise<CheckResult> {
  const boundMs = opts.boundMs ?? CHECK_BOUND_MS;
  let last: CheckResult | undefined;
  let running: { started: number; result: Promise<CheckResult> } | undefined;

  const start = (started: number) => {
    const result = run().then(
      (o): CheckResult => ({ ...o, latencyMs: Date.now() - started, checkedAt: Date.now() }),
      (err: unknown): CheckResult => ({
        status: 'down',
        reason: err instanceof Error ? err.message : String(err),
        latencyMs: Date.now() - started,
        checkedAt: Date.now(),
      }),
    );
    const entry = { started, result };
    running = entry;
    void result.then((r) => {
      last = r;
      if (running === entry) running = undefined;
    });
    return entry;
  };

  return async () => {
    const now = Date.now();
    if (last && now - last.checkedAt < opts.cacheMs) return last;
    const { started, result } = running ?? start(now);
    const left = started + boundMs - now;
    const late: CheckResult = { status: 'down', reason: `no answer within ${boundMs} ms`, checkedAt: now };
    if (left <= 0) return late;
    const answer = await within(result, left, late);
    // Remembered, so that the requests of the next moments answer at once instead of each waiting the bound.
    if (answer === late) last = late;
    return answer;
  };
}

export type HealthChecks = ReturnType<typeof createHealthChecks>;

export function createHealthChecks(deps: Pick<Deps, 'database' | 'cache' | 'crs'>) {
  return {
    db: boundedCheck(
      () =>
        deps.database.ping().then(
          (): Outcome => ({ status: 'up' }),
          (err: unknown): Outcome => ({ status: 'down', reason: databaseFailureCause(err) }),
        ),
      { cacheMs: 1000 },
    ),
    redis: boundedCheck(
      async (): Promise<Outcome> => {
        const h = await deps.cache.health();
        return h.redis === 'down' ? { status: 'down', reason: 'not connected or not answering' } : { status: h.redis };
      },
      { cacheMs: 1000 },
    ),
    // Authenticated: a CRS that answers but refuses our credentials is of no use to the portal.
    crs: boundedCheck(
      async (): Promise<Outcome> => {
        const probe = await deps.crs.probe(CHECK_BOUND_MS);
        return probe.up ? { status: 'up' } : { status: 'down', reason: probe.reason };
      },
      { cacheMs: 5000 },
    ),
  };
}
