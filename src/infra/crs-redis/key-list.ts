import { keySchema } from '../crs/key-schemas.js';
import { inBatches } from '../crs/pool.js';
import type { CrsKey } from '../crs/types.js';
import type { CrsRedisReads } from './connection.js';
import { BATCH_KEYS, BATCHES_IN_FLIGHT, CrsRedisUnusable, chunks, consume, requireKeyIndex } from './reads.js';

/** The hash fields the portal keeps of a listed key: exactly what the admin API's list is parsed into. */
const FIELDS = Object.keys(keySchema.shape);
const ROUND = BATCH_KEYS * BATCHES_IN_FLIGHT;

/**
 * What `GET /admin/api-keys?tag=<tag>` lists, page after page (docs/crs.md §4.2), read from CRS's Redis: the ids
 * in CRS's own tag index `apikey:tag:<tag>` (SSCAN), then per key one pipelined HMGET of `apikey:<id>` with the
 * fields the list's parser reads — the hash holds every field as a string, which that parser already accepts
 * (docs/crs.md quirk 6). Keys whose hash is gone or that are soft-deleted are left out, as the list leaves them.
 * Each round (at most 2,000 keys) is handed to `onPage` as one "page" before the next is read. Returns how many
 * distinct keys were handed over: the caller compares it with the admin API's own count.
 */
export async function eachTaggedKey(
  r: CrsRedisReads,
  tag: string,
  onPage: (items: CrsKey[], page: number) => unknown,
): Promise<number> {
  await requireKeyIndex(r);
  // SSCAN may name a member twice: each id is handed over once.
  const seen = new Set<string>();
  let ids: string[] = [];
  let page = 0;
  let listed = 0;
  /** Hands a round's keys over; returns the consumer's promise, so that no frame keeps the keys while it waits. */
  const handOver = (items: CrsKey[]) => {
    listed += items.length;
    return items.length ? consume(() => onPage(items, ++page)) : undefined;
  };
  const round = async () => {
    const batch = ids;
    ids = [];
    await handOver((await inBatches(chunks(batch, BATCH_KEYS), BATCHES_IN_FLIGHT, (b) => readKeys(r, b))).flat());
  };
  await r.eachMember(`apikey:tag:${tag}`, async (step) => {
    for (const id of step) {
      if (seen.has(id)) continue;
      seen.add(id);
      ids.push(id);
    }
    if (ids.length >= ROUND) await round();
  });
  if (ids.length) await round();
  return listed;
}

async function readKeys(r: CrsRedisReads, ids: string[]): Promise<CrsKey[]> {
  const b = r.batch();
  for (const id of ids) b.hmget(`apikey:${id}`, ...FIELDS);
  const replies = (await b.exec()) as Array<Array<string | null>>;
  const out: CrsKey[] = [];
  for (const [i, values] of replies.entries()) {
    const hash: Record<string, string> = {};
    FIELDS.forEach((f, j) => {
      const v = values[j];
      if (v !== null) hash[f] = v;
    });
    // Gone since the index named it (expired, hard-deleted), or soft-deleted: not listed by CRS either.
    if (hash.id === undefined || hash.isDeleted === 'true') continue;
    const parsed = keySchema.safeParse(hash);
    if (!parsed.success) {
      throw new CrsRedisUnusable(`apikey:${ids[i]} does not read as a key: ${parsed.error.issues[0]?.message}`);
    }
    out.push(parsed.data);
  }
  return out;
}
