import { afterAll, describe, expect, it } from 'vitest';
import { type Answer, call } from './support/http.js';
import { type LoadTarget, sleep, underLoad } from './support/load.js';
import { report } from './support/report.js';
import { FaultStack } from './support/stack.js';

/**
 * Issue 11, point 2: with CRS hung (connections accepted, no answer), health and readiness must still answer
 * within their bound (about 1 s) on every instance — a load balancer must not pull instances that can serve
 * stale stats — and warm stats are unaffected. The portal keeps its production CRS timeout (10 s) here, so
 * only the health checks' own bound can keep them quick.
 */
const stack = await FaultStack.start({ env: { CRS_TIMEOUT_MS: '10000' } });
afterAll(async () => {
  stack.crs.hang(0);
  await stack.close();
});
const user = await stack.user();
await stack.key(user);
await stack.synced(user);

/** The checks' bound (about 1 s) plus a generous margin for a loaded machine. */
const BOUND_MS = 1000 + 1500;
const HANG_MS = 30_000;
const paths = ['/api/stats/usage', '/api/stats/leaderboard', '/api/keys', '/api/auth/me'];
const targets: LoadTarget[] = stack.portals.map((p) => ({ baseUrl: p.url, token: user.token, paths }));
/** `checks.crs` as the public answer gives it (a word), or as the detailed one (an object with a status). */
const crsState = (a: Answer) => {
  const c = a.json?.checks?.crs;
  return typeof c === 'string' ? c : c?.status;
};

describe('CRS hung', () => {
  it('health and readiness answer within their bound and warm stats are unaffected', async () => {
    for (const portal of stack.portals) {
      for (const path of paths) expect((await call(portal.url, path, { token: user.token })).status).toBe(200);
    }
    const probes: Array<{ portal: string; path: string; answer: Answer }> = [];
    const { load } = await underLoad(
      targets,
      async () => {
        stack.crs.hang(HANG_MS);
        const started = Date.now();
        // Long enough for any cached "up" to expire and the checks to meet the hung CRS several times.
        while (Date.now() - started < 15_000) {
          for (const portal of stack.portals) {
            for (const path of ['/api/health', '/readyz']) {
              probes.push({ portal: portal.name, path, answer: await call(portal.url, path, { timeoutMs: BOUND_MS }) });
            }
          }
          await sleep(1000);
        }
      },
      { timeoutMs: BOUND_MS },
    );
    stack.crs.hang(0);
    const slowest = Math.round(Math.max(...probes.map((p) => p.answer.ms)));
    report('CRS hung, 2 instances under load', `${load.total} warm reads, ${JSON.stringify(load.byStatus)}`);
    report('CRS hung: health and readyz', `${probes.length} probes, slowest ${slowest} ms`);

    expect(load.total).toBeGreaterThan(50);
    expect(load.byStatus, load.samples.join('\n')).toEqual({ 200: load.total });
    const late = probes.filter((p) => p.answer.status !== 200);
    expect(
      late.map((p) => `${p.portal} ${p.path} → ${p.answer.status} ${p.answer.text.slice(0, 100)}`),
      `every probe answers 200 within ${BOUND_MS} ms`,
    ).toEqual([]);
    for (const portal of stack.portals) {
      const last = probes.filter((p) => p.portal === portal.name && p.path === '/api/health').at(-1);
      expect(last && crsState(last.answer), `${portal.name}: health names CRS down`).toBe('down');
    }
  });
});
