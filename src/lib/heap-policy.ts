import { setFlagsFromString } from 'node:v8';

/**
 * Bounds how far V8 lets the heap grow between two full collections (docs/decisions/040).
 *
 * On a host with more than 16 GB, V8 gives the old generation a 4 GB limit and, far from it, lets the heap grow up
 * to 4× what survived the last full collection before it collects again. The portal keeps ~100 MB alive, but a sync
 * cycle makes a few hundred MB of short-lived batches; with that factor they pile up to 500 MB of RSS before a full
 * collection. A fixed factor of 1 + percent/100 (HEAP_GROWTH_PERCENT, 20 by default) collects them far sooner: more
 * full collections, which cost a sync cycle of 100,000 keys 15–40 % more CPU than 30 did (measured, decision 040's
 * seventh-pass note), for a whole benchmark run at that scale within 300 MB. The heap's limit stays V8's: a large
 * cycle is never stopped by an out-of-memory error.
 *
 * V8 reads this flag at each full collection, so setting it once the process runs takes effect from the next one.
 * An operator's own `--heap-growing-percent` (node's command line) wins; `percent` 0 leaves V8's policy.
 */
export function applyHeapGrowth(percent: number, execArgv: readonly string[] = process.execArgv): boolean {
  if (percent <= 0 || execArgv.some((a) => a.startsWith('--heap-growing-percent'))) return false;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}
