/** Bounded concurrency for independent CRS reads (the sync's list pages), results in input order. */

/** `fn` over every item with at most `limit` calls in flight; rejects with the first failure (the rest settle). */
export async function inBatches<I, O>(items: readonly I[], limit: number, fn: (item: I) => Promise<O>): Promise<O[]> {
  const out = new Array<O>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker);
  const settled = await Promise.allSettled(workers);
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
  return out;
}

/** [from, from + 1, …, to]. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

/**
 * `limit` copies of `worker` at once, each pulling its own next piece of work until `more()` says there is none
 * left; rejects with the first failure, and the others stop at their next pull.
 */
export async function workers(limit: number, more: () => boolean, worker: () => Promise<void>): Promise<void> {
  let failed = false;
  const run = async () => {
    while (!failed && more()) {
      try {
        await worker();
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: limit }, run));
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw (failure as PromiseRejectedResult).reason;
}
