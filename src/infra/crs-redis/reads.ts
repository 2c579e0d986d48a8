import type { CrsRedisReads } from './connection.js';

/** Keys per pipeline: ~1,500 commands, a few hundred KB of replies — bounded, whatever the number of keys. */
export const BATCH_KEYS = 500;
/** Pipelines in flight at once. */
export const BATCHES_IN_FLIGHT = 4;

/** CRS's reading of a counter: parseInt, and 0 for anything missing or unreadable. */
export const int = (v: unknown): number => Number.parseInt(typeof v === 'string' ? v : '', 10) || 0;
/** CRS's reading of a cost key: parseFloat, 0 when missing. */
export const float = (v: unknown): number => Number.parseFloat(typeof v === 'string' ? v : '') || 0;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Why a direct read cannot answer (the cycle then reads through the admin API). */
export class CrsRedisUnusable extends Error {
  override name = 'CrsRedisUnusable';
}

/**
 * CRS's key indexes are complete only once its index service has built them (it sets `apikey:index:version`
 * to 2, docs/crs.md §9.1); before that CRS itself scans, and so the reader does not answer at all.
 */
export async function requireKeyIndex(r: CrsRedisReads): Promise<void> {
  const version = int(await r.get('apikey:index:version'));
  if (version < 2) throw new CrsRedisUnusable(`CRS's key index is not ready (apikey:index:version=${version})`);
}

/** The consumer of what was read failed (the sync's database write): not a failure of CRS's Redis. */
export class ConsumerFailure extends Error {
  override name = 'ConsumerFailure';
  constructor(readonly original: unknown) {
    super('the consumer of what was read from CRS failed');
  }
}

/**
 * The consumer's own failure (the sync's database) is not a failure of CRS's Redis: no fallback, rethrown.
 * `step` is called at once and not kept while its promise is awaited: what it hands over (a batch of thousands
 * of records) is the consumer's to keep or drop — kept alive by a waiting frame it would outlive young garbage.
 */
export function consume(step: () => unknown): Promise<void> {
  let result: unknown;
  try {
    result = step();
  } catch (e) {
    return Promise.reject(new ConsumerFailure(e));
  }
  return Promise.resolve(result).then(
    () => undefined,
    (e: unknown) => {
      throw new ConsumerFailure(e);
    },
  );
}
