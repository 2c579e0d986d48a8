/**
 * How long CRS takes, as a function of what it has to walk. Fitted on the measured figures of docs/crs.md §8:
 * the 200-key table (200 keys with 30 days of usage, ≈154k Redis keys) and the "at scale" table (1,000 and
 * 5,000 keys without usage, 5,000 keys of which 2,000 used for 2 days). Pure, so tests check the curve, not
 * wall time.
 *
 * What the figures say: the bulk reads cost little per key without usage and ~1–2 ms per *used* key, and that
 * per-used-key cost rises with the keyspace up to the largest measured size (5,000 keys), beyond which the
 * model grows linearly (the extrapolation docs/crs.md §8 makes: usage-stats ~100 s, 2-day trend ~70 s at
 * 100,000 keys of which 40% used). A list page slows with keys and used keys up to the measured 5,000, then
 * stays flat (an index read of one page). Routes measured only at 200 keys (dashboard, model-stats, batch-stats,
 * permanent delete) scale with keys / 200.
 */
export type LatencyMode = 'none' | 'fast' | 'realistic';

export interface LatencyCtx {
  /** All keys CRS holds, deleted included (they stay in the keyspace). */
  keys: number;
  /** Keys with usage: ever (usage-stats, list), or within the answered range (per-key trend). */
  used?: number;
  days?: number;
  /** batch-stats: number of keyIds; list: pageSize; per-key trend: (key, day) entries answered. */
  count?: number;
  /** list with search / SCAN sort; batch-stats range; model-stats period. */
  variant?: string;
}

/** Linear interpolation through `points` ([x, y], x ascending), extended with the last segment's slope. */
function curve(points: readonly (readonly [number, number])[], x: number): number {
  let i = 1;
  while (i < points.length - 1 && x > points[i][0]) i++;
  const [x0, y0] = points[i - 1];
  const [x1, y1] = points[i];
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/** Per-used-key cost between the two measured keyspaces (200 and 5,000 keys), flat outside them. */
function perUsed(keys: number, at200: number, at5000: number): number {
  const k = Math.min(5000, Math.max(200, keys));
  return at200 + ((at5000 - at200) * (k - 200)) / 4800;
}

/** GET /admin/usage-stats: 235 ms / 1.6 s at 1,000 / 5,000 unused keys; 256 ms at 200 used; 5.2 s at 5,000 (2,000 used). */
function usageStatsDelay(keys: number, used: number): number {
  const base = curve(
    [
      [0, 5],
      [1000, 235],
      [5000, 1600],
    ],
    keys,
  );
  return base + used * perUsed(keys, 1.025, 1.8);
}

/**
 * GET /admin/api-keys-usage-trend: 47 / 293 ms at 1,000 / 5,000 unused keys (2 days); 258 / 647 ms for 7 / 30
 * days at 200 used keys; 3.7 / 4.1 s for 2 / 31 days at 5,000 keys of which 2,000 used on 2 days. A fixed cost
 * per used key, a cost per (key, day) answered, and a small cost per day asked (each day's index is read).
 */
function keysTrendDelay(keys: number, used: number, entries: number, days: number): number {
  const base = curve(
    [
      [0, 5],
      [1000, 47],
      [5000, 293],
    ],
    keys,
  );
  const perDay = 0.00276 * keys;
  return base + used * perUsed(keys, 0.61, 1.534) + entries * 0.0845 + Math.max(0, days - 2) * perDay;
}

/**
 * One page of GET /admin/api-keys (index path): 17 / 25 ms for 20 / 100 items at 200 keys; 24 / 53 / ~120 ms at
 * 1,000 / 5,000 / 5,000 (2,000 used). The index path reads one page of keys, so past the measured range a page
 * keeps its cost (docs/crs.md §8 extrapolates 1,000 pages at ~100 ms each).
 */
function listDelay(keys: number, used: number, pageSize: number): number {
  return 15 + (pageSize / 100) * (1.75 + 0.00725 * Math.min(keys, 5000) + 0.0335 * Math.min(used, 2000));
}

export function realisticDelay(route: string, c: LatencyCtx): number {
  const s = Math.max(1, c.keys) / 200;
  const used = c.used ?? 0;
  const days = c.days ?? 7;
  switch (route) {
    case 'POST /web/auth/login':
      return 100;
    case 'GET /admin/api-keys':
      if (c.variant === 'scan') return 5 + 330 * s;
      return listDelay(c.keys, used, c.count ?? 20);
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
      return usageStatsDelay(c.keys, used);
    case 'GET /admin/api-keys-usage-trend':
      return keysTrendDelay(c.keys, used, c.count ?? used * Math.min(days, 32), days);
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
    case 'POST /apiStats/api/user-stats':
      // Measured 4 ms for a key with cost (its counters are named, no scan); ~200 ms scan when its cost is 0.
      return 4;
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
