import { inBatches } from '../crs/pool.js';
import type { BatchSink, CrsKeyUsage } from '../crs/types.js';
import type { CrsRedisReads } from './connection.js';
import {
  BATCH_KEYS,
  BATCHES_IN_FLIGHT,
  CrsRedisUnusable,
  chunks,
  consume,
  float,
  int,
  requireKeyIndex,
} from './reads.js';

const TOTALS = [
  'totalRequests',
  'totalInputTokens',
  'totalOutputTokens',
  'totalCacheCreateTokens',
  'totalCacheReadTokens',
  'totalAllTokens',
] as const;

/** Ids read per round: BATCHES_IN_FLIGHT pipelines of BATCH_KEYS keys, handed over before the next round. */
const ROUND = BATCH_KEYS * BATCHES_IN_FLIGHT;

/**
 * What GET /admin/usage-stats answers (docs/crs.md §5.1), read from CRS's Redis: the lifetime totals of every
 * non-deleted key, handed to `sink` a round at a time. The keys come from CRS's own id index (`apikey:idx:all`),
 * walked with SSCAN, so no list of every id is ever held; per key, one pipelined batch reads its hash (name,
 * deleted flag), `usage:<id>` (the token split) and `usage:cost:total:<id>` (the stored cost).
 */
export async function streamUsageStats(r: CrsRedisReads, sink: BatchSink<CrsKeyUsage>): Promise<void> {
  await requireKeyIndex(r);
  const globalRequests = await r.hget('usage:global:total', 'requests');
  await consume(() => sink.restart?.());
  let recognised = 0;
  let ids = new Set<string>();
  const handOver = (out: CrsKeyUsage[]) => (out.length ? consume(() => sink.write(out)) : undefined);
  const round = async () => {
    const batch = [...ids];
    ids = new Set();
    const read = (part: string[]) =>
      readTotals(r, part).then((t) => {
        recognised += t.recognised;
        return t.out;
      });
    // The round's records go straight to the sink: no frame here keeps them while it writes.
    await handOver((await inBatches(chunks(batch, BATCH_KEYS), BATCHES_IN_FLIGHT, read)).flat());
  };
  await r.eachMember('apikey:idx:all', async (step) => {
    for (const id of step) ids.add(id);
    if (ids.size >= ROUND) await round();
  });
  if (ids.size) await round();
  // CRS counted requests, yet no key has a lifetime counter where 1.1.314 keeps it: the layout has changed.
  if (int(globalRequests) > 0 && recognised === 0) {
    throw new CrsRedisUnusable('no usage:<id> totals found although usage:global:total counts requests');
  }
}

async function readTotals(r: CrsRedisReads, batch: string[]): Promise<{ out: CrsKeyUsage[]; recognised: number }> {
  const b = r.batch();
  for (const id of batch) {
    b.hmget(`apikey:${id}`, 'id', 'name', 'isDeleted');
    b.hmget(`usage:${id}`, ...TOTALS);
    b.get(`usage:cost:total:${id}`);
  }
  const replies = await b.exec();
  const out: CrsKeyUsage[] = [];
  let recognised = 0;
  batch.forEach((keyId, i) => {
    const [hashId, name, isDeleted] = replies[i * 3] as Array<string | null>;
    const totals = replies[i * 3 + 1] as unknown[];
    if (totals[0] !== null) recognised++;
    // A hash gone (hard delete, or the 365-day expiry) or marked deleted: not in CRS's answer either.
    if (hashId === null || isDeleted === 'true') return;
    const [requests, input, output, cacheCreate, cacheRead, all] = totals.map(int);
    out.push({
      keyId,
      name: name ?? '',
      total: {
        requests,
        // CRS's own reading: totalAllTokens, or the four parts when it is missing.
        tokens: all || input + output + cacheCreate + cacheRead,
        inputTokens: input,
        outputTokens: output,
        cacheCreateTokens: cacheCreate,
        cacheReadTokens: cacheRead,
        cost: float(replies[i * 3 + 2]),
      },
    });
  });
  return { out, recognised };
}
