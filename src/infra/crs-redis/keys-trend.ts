import { inBatches } from '../crs/pool.js';
import type { CrsTrendEntry } from '../crs/types.js';
import type { CrsRedisReads } from './connection.js';
import { BATCH_KEYS, BATCHES_IN_FLIGHT, CrsRedisUnusable, chunks, int, requireKeyIndex } from './reads.js';

const DAY_MS = 86_400_000;
/** Entries handed to the consumer at a time, as the admin API's streamed reader does. */
const HANDOVER = 5000;

/** The consumer of the entries failed (the sync's database write): not a failure of CRS's Redis. */
export class ConsumerFailure extends Error {
  override name = 'ConsumerFailure';
  constructor(readonly original: unknown) {
    super('the consumer of the trend entries failed');
  }
}

export interface TrendOptions {
  days: number;
  now: number;
  /** CRS's TIMEZONE_OFFSET in hours: CRS names its day buckets in its own timezone (docs/crs.md §7.1). */
  timezoneOffset: number;
}

/**
 * What GET /admin/api-keys-usage-trend?granularity=day&days=N answers (docs/crs.md §5.2), read from CRS's
 * Redis: per CRS day (oldest first) and per non-deleted key with usage that day, tokens (all four kinds),
 * requests and the stored cost. The keys of a day come from CRS's own index `usage:daily:index:<date>`, the
 * models of a key's day from `usage:keymodel:daily:index:<date>`; per key a pipelined batch reads the day
 * bucket and the `ratedCostMicro` of each model bucket (CRS sums stored micro-dollars, quirk 12).
 */
export async function readKeysTrend(
  r: CrsRedisReads,
  opts: TrendOptions,
  onBatch: (entries: CrsTrendEntry[]) => unknown,
): Promise<void> {
  await requireKeyIndex(r);
  const today = Math.floor((opts.now + opts.timezoneOffset * 3_600_000) / DAY_MS);
  /** Whether a key is listed at all: its hash exists and it is not soft-deleted. Asked once per key. */
  const live = new Map<string, boolean>();
  let pending: CrsTrendEntry[] = [];
  const handOver = async (all: boolean) => {
    if (pending.length === 0 || (!all && pending.length < HANDOVER)) return;
    const batch = pending;
    pending = [];
    try {
      await onBatch(batch);
    } catch (e) {
      throw new ConsumerFailure(e);
    }
  };

  for (let day = today - opts.days + 1; day <= today; day++) {
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    const [ids, keyModels, dayRequests] = await Promise.all([
      r.members(`usage:daily:index:${date}`),
      r.members(`usage:keymodel:daily:index:${date}`),
      r.hget(`usage:global:daily:${date}`, 'requests'),
    ]);
    // Every request of a day adds its key to the day's index: requests counted without one mean the layout
    // has changed (CRS would scan; the reader lets the admin API answer).
    if (ids.length === 0 && int(dayRequests) > 0) {
      throw new CrsRedisUnusable(`usage:daily:index:${date} is empty although usage:global:daily counts requests`);
    }
    const models = modelsByKey(keyModels);
    let found = 0;
    for (const group of chunks(ids, BATCH_KEYS * BATCHES_IN_FLIGHT)) {
      const read = (batch: string[]) => readDay(r, date, batch, models, live);
      for (const day of await inBatches(chunks(group, BATCH_KEYS), BATCHES_IN_FLIGHT, read)) {
        found += day.found;
        for (const e of day.entries) pending.push(e);
      }
      await handOver(false);
    }
    if (ids.length > 0 && found === 0 && int(dayRequests) > 0) {
      throw new CrsRedisUnusable(`no usage:daily:<id>:${date} bucket of the keys its index names`);
    }
  }
  await handOver(true);
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

const DAY_FIELDS = ['requests', 'allTokens', 'inputTokens', 'outputTokens', 'cacheCreateTokens', 'cacheReadTokens'];

async function readDay(
  r: CrsRedisReads,
  date: string,
  ids: string[],
  models: Map<string, string[]>,
  live: Map<string, boolean>,
): Promise<{ entries: CrsTrendEntry[]; found: number }> {
  const b = r.batch();
  const unknown = ids.filter((id) => !live.has(id));
  for (const id of unknown) b.hmget(`apikey:${id}`, 'id', 'isDeleted');
  for (const id of ids) {
    b.hmget(`usage:daily:${id}:${date}`, ...DAY_FIELDS);
    for (const model of models.get(id) ?? []) b.hget(`usage:${id}:model:daily:${model}:${date}`, 'ratedCostMicro');
  }
  const replies = await b.exec();
  let i = 0;
  for (const id of unknown) {
    const [hashId, isDeleted] = replies[i++] as Array<string | null>;
    live.set(id, hashId !== null && isDeleted !== 'true');
  }
  const out: CrsTrendEntry[] = [];
  let found = 0;
  for (const id of ids) {
    const bucket = replies[i++] as unknown[];
    if (bucket[0] !== null) found++;
    const [requests, all, input, output, cacheCreate, cacheRead] = bucket.map(int);
    let micro = 0;
    for (const _ of models.get(id) ?? []) micro += int(replies[i++]);
    // A bucket expired since the index was written has no requests: CRS leaves the day out too.
    if (!live.get(id) || requests === 0) continue;
    const tokens = all || input + output + cacheCreate + cacheRead;
    out.push({ date, keyId: id, tokens, requests, cost: micro / 1e6 });
  }
  return { entries: out, found };
}
