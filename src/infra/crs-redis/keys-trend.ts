import { inBatches } from '../crs/pool.js';
import type { CrsTrendEntry } from '../crs/types.js';
import type { CrsRedisReads } from './connection.js';
import { BATCH_KEYS, BATCHES_IN_FLIGHT, CrsRedisUnusable, chunks, consume, int, requireKeyIndex } from './reads.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Entries handed to the consumer at a time, as the admin API's streamed reader does. */
const HANDOVER = 5000;

export interface TrendOptions {
  days: number;
  now: number;
  /** CRS's TIMEZONE_OFFSET in hours: CRS names its day buckets in its own timezone (docs/crs.md §7.1). */
  timezoneOffset: number;
}

export interface HourlyTrendOptions {
  /** ISO instants, at most 24 h apart (CRS's limit): every CRS hour from the one `start` falls in to `end`'s. */
  start: string;
  end: string;
  timezoneOffset: number;
}

/** One bucket of a trend: how CRS's Redis names it, and how the admin API labels its entries. */
interface Bucket {
  /** `daily` or `hourly`: the family of CRS's key names. */
  family: 'daily' | 'hourly';
  /** The bucket's name in CRS's keys: `YYYY-MM-DD`, or `YYYY-MM-DD:HH` (CRS-local). */
  name: string;
  /** The entries' `date`: the CRS day, or the ISO instant the hour starts (what the admin API answers). */
  label: string;
}

/**
 * What GET /admin/api-keys-usage-trend?granularity=day&days=N answers (docs/crs.md §5.2), read from CRS's Redis:
 * per CRS day (oldest first) and per non-deleted key with usage that day, tokens (all four kinds), requests and
 * the stored cost.
 */
export function readKeysTrend(
  r: CrsRedisReads,
  opts: TrendOptions,
  onBatch: (entries: CrsTrendEntry[]) => unknown,
): Promise<void> {
  const today = Math.floor((opts.now + opts.timezoneOffset * HOUR_MS) / DAY_MS);
  const buckets: Bucket[] = [];
  for (let day = today - opts.days + 1; day <= today; day++) {
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    buckets.push({ family: 'daily', name: date, label: date });
  }
  return readTrend(r, buckets, onBatch);
}

/**
 * What the same route answers with granularity=hour between two instants (docs/crs.md §5.7), read from CRS's
 * hourly buckets: per CRS hour and key, labelled with the UTC instant the hour starts.
 */
export function readKeysHourlyTrend(
  r: CrsRedisReads,
  opts: HourlyTrendOptions,
  onBatch: (entries: CrsTrendEntry[]) => unknown,
): Promise<void> {
  const off = opts.timezoneOffset * HOUR_MS;
  const start = Date.parse(opts.start);
  const end = Date.parse(opts.end);
  if (!(start <= end) || end - start > DAY_MS)
    throw new RangeError(`an hourly range of at most 24 h, got ${opts.start}..${opts.end}`);
  const buckets: Bucket[] = [];
  for (let hour = Math.floor((start + off) / HOUR_MS); hour <= Math.floor((end + off) / HOUR_MS); hour++) {
    const local = new Date(hour * HOUR_MS).toISOString();
    const name = `${local.slice(0, 10)}:${local.slice(11, 13)}`;
    buckets.push({ family: 'hourly', name, label: new Date(hour * HOUR_MS - off).toISOString() });
  }
  return readTrend(r, buckets, onBatch);
}

/**
 * The keys of a bucket come from CRS's own index `usage:<family>:index:<bucket>`, the models of a key's bucket
 * from `usage:keymodel:<family>:index:<bucket>`; per key a pipelined batch reads the key's bucket and the
 * `ratedCostMicro` of each model bucket (CRS sums stored micro-dollars, docs/crs.md quirk 12).
 */
async function readTrend(
  r: CrsRedisReads,
  buckets: Bucket[],
  onBatch: (entries: CrsTrendEntry[]) => unknown,
): Promise<void> {
  await requireKeyIndex(r);
  /** Whether a key is listed at all: its hash exists and it is not soft-deleted. Asked once per key. */
  const live = new Map<string, boolean>();
  let pending: CrsTrendEntry[] = [];
  const handOver = (all: boolean) => {
    if (pending.length === 0 || (!all && pending.length < HANDOVER)) return undefined;
    const batch = pending;
    pending = [];
    return consume(() => onBatch(batch));
  };

  for (const bucket of buckets) {
    const [ids, keyModels, canary] = await Promise.all([
      r.members(`usage:${bucket.family}:index:${bucket.name}`),
      r.members(`usage:keymodel:${bucket.family}:index:${bucket.name}`),
      usedAtAll(r, bucket),
    ]);
    // Every request adds its key to the bucket's index: usage counted without one means the layout has changed
    // (CRS would scan; the reader lets the admin API answer).
    if (ids.length === 0 && canary) {
      throw new CrsRedisUnusable(`usage:${bucket.family}:index:${bucket.name} is empty although CRS counted usage`);
    }
    const models = modelsByKey(keyModels);
    let found = 0;
    let named = 0;
    for (const group of chunks(ids, BATCH_KEYS * BATCHES_IN_FLIGHT)) {
      const read = (batch: string[]) => readBucket(r, bucket, batch, models, live);
      for (const part of await inBatches(chunks(group, BATCH_KEYS), BATCHES_IN_FLIGHT, read)) {
        found += part.found;
        named += part.named;
        for (const e of part.entries) pending.push(e);
      }
      await handOver(false);
    }
    // Live keys the index names, none with a bucket: the buckets moved (a key deleted since is no evidence).
    if (named > 0 && found === 0 && canary) {
      throw new CrsRedisUnusable(`no usage:${bucket.family}:<id>:${bucket.name} bucket of the keys its index names`);
    }
  }
  await handOver(true);
}

/**
 * Whether CRS counted usage in a bucket, from a counter outside the per-key layout: the global day counter for
 * a day, the per-model hourly index for an hour (CRS keeps no global hourly counter).
 */
async function usedAtAll(r: CrsRedisReads, bucket: Bucket): Promise<boolean> {
  if (bucket.family === 'daily') return int(await r.hget(`usage:global:daily:${bucket.name}`, 'requests')) > 0;
  return (await r.members(`usage:model:hourly:index:${bucket.name}`)).length > 0;
}

/** `id:MODEL` members → models per key id (a model name may itself contain ':'). */
function modelsByKey(members: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of members) {
    const i = m.indexOf(':');
    if (i <= 0) continue;
    const id = m.slice(0, i);
    const list = out.get(id);
    if (list) list.push(m.slice(i + 1));
    else out.set(id, [m.slice(i + 1)]);
  }
  return out;
}

const BUCKET_FIELDS = ['requests', 'allTokens', 'inputTokens', 'outputTokens', 'cacheCreateTokens', 'cacheReadTokens'];

async function readBucket(
  r: CrsRedisReads,
  bucket: Bucket,
  ids: string[],
  models: Map<string, string[]>,
  live: Map<string, boolean>,
): Promise<{ entries: CrsTrendEntry[]; found: number; named: number }> {
  const { family, name } = bucket;
  const b = r.batch();
  const unknown = ids.filter((id) => !live.has(id));
  for (const id of unknown) b.hmget(`apikey:${id}`, 'id', 'isDeleted');
  for (const id of ids) {
    b.hmget(`usage:${family}:${id}:${name}`, ...BUCKET_FIELDS);
    for (const model of models.get(id) ?? []) b.hget(`usage:${id}:model:${family}:${model}:${name}`, 'ratedCostMicro');
  }
  const replies = await b.exec();
  let i = 0;
  for (const id of unknown) {
    const [hashId, isDeleted] = replies[i++] as Array<string | null>;
    live.set(id, hashId !== null && isDeleted !== 'true');
  }
  const out: CrsTrendEntry[] = [];
  let found = 0;
  let named = 0;
  for (const id of ids) {
    const values = replies[i++] as unknown[];
    if (live.get(id)) {
      named++;
      if (values[0] !== null) found++;
    }
    const [requests, all, input, output, cacheCreate, cacheRead] = values.map(int);
    let micro = 0;
    for (const _ of models.get(id) ?? []) micro += int(replies[i++]);
    // A bucket expired since the index was written has no requests: CRS leaves it out too.
    if (!live.get(id) || requests === 0) continue;
    const tokens = all || input + output + cacheCreate + cacheRead;
    out.push({ date: bucket.label, keyId: id, tokens, requests, cost: micro / 1e6 });
  }
  return { entries: out, found, named };
}
