import { CrsInvalidResponse } from './failures.js';
import { INVALID, looseNumber } from './loose.js';
import type { CrsKeyTrendDay, CrsKeyUsage } from './types.js';

/**
 * Hand-written normalisers for the two arrays the usage sync reads for every key (100,000 keys = tens of MB).
 * Same reading rules as loose.ts, but one tight loop: a bad number reads as NaN, and only when a record's sum
 * is NaN does the slow path look for the field to name. bench/micro/crs-parse.ts has the figures against zod.
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** looseNumber with NaN for "invalid", so the caller can check a whole record at once. */
function n(v: unknown): number {
  if (typeof v === 'number') return v - v === 0 ? v : Number.NaN;
  const r = looseNumber(v);
  return r === INVALID ? Number.NaN : r;
}

function fail(endpoint: string, path: string, message: string): never {
  throw new CrsInvalidResponse(endpoint, `${path}: ${message}`);
}

/** Names the first field of `o` that does not read as a number. */
function failOnNumbers(endpoint: string, o: Obj, fields: readonly string[], path: string): never {
  const bad = fields.find((f) => o[f] !== undefined && looseNumber(o[f]) === INVALID);
  return fail(endpoint, `${path}.${bad ?? fields[0]}`, 'expected a number');
}

const USAGE_STATS = 'GET /admin/usage-stats';
const TOTAL_FIELDS = [
  'requests',
  'allTokens',
  'tokens',
  'inputTokens',
  'outputTokens',
  'cacheCreateTokens',
  'cacheReadTokens',
  'cost',
];

/** GET /admin/usage-stats → lifetime totals per non-deleted key. */
export function parseUsageStats(body: unknown): CrsKeyUsage[] {
  const data = isObj(body) ? body.data : undefined;
  const stats = isObj(data) ? data.stats : undefined;
  if (!Array.isArray(stats)) fail(USAGE_STATS, 'data.stats', 'expected an array');
  const out: CrsKeyUsage[] = new Array(stats.length);
  for (let i = 0; i < stats.length; i++) {
    const s = stats[i];
    if (!isObj(s)) fail(USAGE_STATS, `data.stats.${i}`, 'expected an object');
    const keyId = s.keyId;
    if (typeof keyId !== 'string' || keyId === '') fail(USAGE_STATS, `data.stats.${i}.keyId`, 'expected an id');
    const name = s.keyName ?? '';
    if (typeof name !== 'string') fail(USAGE_STATS, `data.stats.${i}.keyName`, 'expected a string');
    const usage = s.usage;
    if (!isObj(usage)) fail(USAGE_STATS, `data.stats.${i}.usage`, 'expected an object');
    const t = usage.total ?? {};
    if (!isObj(t)) fail(USAGE_STATS, `data.stats.${i}.usage.total`, 'expected an object');
    const total = {
      requests: n(t.requests),
      // total.tokens equals allTokens here (unlike daily/monthly, which are input+output only).
      tokens: n(t.allTokens ?? t.tokens),
      inputTokens: n(t.inputTokens),
      outputTokens: n(t.outputTokens),
      cacheCreateTokens: n(t.cacheCreateTokens),
      cacheReadTokens: n(t.cacheReadTokens),
      cost: n(t.cost ?? usage.totalCost),
    };
    const sum =
      total.requests +
      total.tokens +
      total.inputTokens +
      total.outputTokens +
      total.cacheCreateTokens +
      total.cacheReadTokens +
      total.cost;
    if (Number.isNaN(sum)) {
      if (t.cost === undefined && Number.isNaN(total.cost)) {
        failOnNumbers(USAGE_STATS, usage, ['totalCost'], `data.stats.${i}.usage`);
      }
      failOnNumbers(USAGE_STATS, t, TOTAL_FIELDS, `data.stats.${i}.usage.total`);
    }
    out[i] = { keyId, name, total };
  }
  return out;
}

const KEYS_TREND = 'GET /admin/api-keys-usage-trend';
const TREND_FIELDS = ['tokens', 'requests', 'cost'];

/** GET /admin/api-keys-usage-trend?granularity=day → per CRS day, the keys with usage that day. */
export function parseKeysUsageTrend(body: unknown): CrsKeyTrendDay[] {
  const days = isObj(body) ? body.data : undefined;
  if (!Array.isArray(days)) fail(KEYS_TREND, 'data', 'expected an array');
  const out: CrsKeyTrendDay[] = new Array(days.length);
  for (let i = 0; i < days.length; i++) {
    const d = days[i];
    if (!isObj(d)) fail(KEYS_TREND, `data.${i}`, 'expected an object');
    if (typeof d.date !== 'string') fail(KEYS_TREND, `data.${i}.date`, 'expected a date');
    const apiKeys = d.apiKeys ?? {};
    if (!isObj(apiKeys)) fail(KEYS_TREND, `data.${i}.apiKeys`, 'expected an object');
    const keys: CrsKeyTrendDay['keys'] = {};
    for (const id of Object.keys(apiKeys)) {
      // Ids are UUIDs; skip the one name that would write to the prototype instead of the record.
      if (id === '__proto__') continue;
      const k = apiKeys[id];
      if (!isObj(k)) fail(KEYS_TREND, `data.${i}.apiKeys.${id}`, 'expected an object');
      const v = { tokens: n(k.tokens), requests: n(k.requests), cost: n(k.cost) };
      if (Number.isNaN(v.tokens + v.requests + v.cost)) {
        failOnNumbers(KEYS_TREND, k, TREND_FIELDS, `data.${i}.apiKeys.${id}`);
      }
      keys[id] = v;
    }
    out[i] = { date: d.date, keys };
  }
  return out;
}
