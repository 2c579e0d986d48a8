/**
 * How long CRS takes, as a function of what it has to walk (reference §6, 2-core box, 200 keys ≈ 154k Redis
 * keys). Everything that SCANs the keyspace grows linearly with the number of keys (`s` = keys / 200); the
 * per-key trend grows with keys × days; batch-stats with keys × days (one SCAN per key per day), where a single
 * key's days run sequentially and many keys share Redis. Pure, so tests check the curve, not wall time.
 */
export type LatencyMode = 'none' | 'fast' | 'realistic';

export interface LatencyCtx {
  /** All keys CRS holds, deleted included (they stay in the keyspace). */
  keys: number;
  days?: number;
  /** batch-stats: number of keyIds; list: pageSize. */
  count?: number;
  /** list with search / SCAN sort; batch-stats range; model-stats period. */
  variant?: string;
}

export function realisticDelay(route: string, c: LatencyCtx): number {
  const s = Math.max(1, c.keys) / 200;
  const days = c.days ?? 7;
  switch (route) {
    case 'POST /web/auth/login':
      return 100;
    case 'GET /admin/api-keys':
      if (c.variant === 'scan') return 5 + 330 * s;
      return 15 + ((c.count ?? 20) / 100) * 10;
    case 'POST /admin/api-keys':
      return 3;
    case 'PUT /admin/api-keys/:id':
    case 'DELETE /admin/api-keys/:id':
      return 8;
    case 'PATCH /admin/api-keys/:id/expiration':
      return 5;
    case 'DELETE /admin/api-keys/:id/permanent':
      return 5 + 295 * s;
    case 'GET /admin/api-keys/deleted':
      return 5 + 11 * s;
    case 'POST /admin/api-keys/:id/restore':
      return 9;
    case 'GET /admin/usage-stats':
      return 5 + 251 * s;
    case 'GET /admin/api-keys-usage-trend':
      return 5 + c.keys * (0.7 + 0.0846 * days);
    case 'GET /admin/dashboard':
      return 20 + 388 * s;
    case 'GET /admin/usage-trend':
      return c.variant === 'hour' ? 28 : Math.max(10, 3.3 * days - 5);
    case 'GET /admin/api-keys/:id/model-stats':
      if (c.variant === 'custom') return 5 + 0.03 * days * c.keys;
      if (c.variant === 'empty') return 5 + 188 * s;
      return 5 + 167 * s;
    case 'GET /admin/api-keys/:id/usage-records':
      return 16;
    case 'POST /admin/api-keys/batch-stats':
      return batchStatsDelay(c, s);
    case 'POST /api/v1/messages':
      return 20;
    default:
      return 5;
  }
}

function batchStatsDelay(c: LatencyCtx, s: number): number {
  const n = Math.max(1, c.count ?? 1);
  if (c.variant === 'range') {
    const days = c.days ?? 7;
    // One SCAN per key per day: a key walks its days one after another, keys share Redis.
    return 15 + Math.max(days * 270 * s, n * days * 26 * s);
  }
  return 5 + s * (217 + 17.7 * n);
}

export function delayFor(mode: LatencyMode, route: string, c: LatencyCtx, tick: number): number {
  if (mode === 'none') return 0;
  if (mode === 'fast') return tick & 1;
  return Math.round(realisticDelay(route, c));
}
