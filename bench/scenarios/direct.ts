import { ownerTag } from '../../src/domain/keys/crs-fields.js';
import type { BenchEmulator } from '../lib/emulator.js';
import { json, percentile, request, round } from '../lib/http.js';
import type { BenchUser } from '../lib/seed.js';
import { CRS_PASSWORD } from '../lib/stack.js';

/**
 * What a portal without the sync + cache design would do for the same views: ask CRS directly, per page view.
 * The dashboard's usage card would be CRS's per-key range statistics for the user's keys
 * (`POST /admin/api-keys/batch-stats`, 7 days), the operator's overview CRS's `GET /admin/dashboard`. Timed
 * against the emulator's realistic latency model at the current number of keys; the calls of one kind run
 * concurrently (the model's delays are timers, so they do not slow one another).
 */
export async function directCalls(emulator: BenchEmulator, users: BenchUser[], samples: number) {
  const { token } = await json<{ token: string }>(`${emulator.url}/web/auth/login`, {
    method: 'POST',
    body: { username: 'admin', password: CRS_PASSWORD },
  });
  const crsKeysOf = (u: BenchUser) => {
    const tag = ownerTag(u.id);
    const ids: string[] = [];
    for (const k of emulator.store.keys.keys.values()) if (k.tags.includes(tag) && !k.isDeleted) ids.push(k.id);
    return ids;
  };
  // The CRS key ids of each user the samples use (users[i % users.length]), one store scan per user.
  const keyIds = users.slice(0, Math.max(1, Math.min(samples, users.length))).map(crsKeysOf);
  const time = async (n: number, call: (i: number) => Promise<{ status: number; ms: number; body: string }>) => {
    const answers = await Promise.all(Array.from({ length: n }, (_, i) => call(i)));
    const bad = answers.find((a) => a.status !== 200);
    if (bad) throw new Error(`direct CRS call: ${bad.status} ${bad.body.slice(0, 200)}`);
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    return { p50Ms: round(percentile(ms, 50), 0), samples: n };
  };
  const [batchStats, dashboard] = await Promise.all([
    time(samples, (i) =>
      request(`${emulator.url}/admin/api-keys/batch-stats`, {
        method: 'POST',
        token,
        body: { keyIds: keyIds[i % keyIds.length], timeRange: '7days' },
        // At 100,000 keys CRS's model takes ~16 minutes for this call.
        timeoutMs: 40 * 60_000,
      }),
    ),
    time(samples, () => request(`${emulator.url}/admin/dashboard`, { token, timeoutMs: 40 * 60_000 })),
  ]);
  return {
    'batch-stats 7days (one user’s keys)': { ...batchStats, keysPerCall: keyIds[0].length },
    dashboard: dashboard,
  };
}
