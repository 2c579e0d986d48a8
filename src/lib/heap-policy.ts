import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Bounds how far V8 lets the heap grow between two full collections (docs/decisions/040, 043).
 *
 * On a host with more than 16 GB, V8 gives the old generation a 4 GB limit and, far from it, lets the heap grow up
 * to 4× what survived the last full collection before it collects again. The portal keeps ~40–100 MB alive, but a
 * sync cycle makes a few hundred MB of short-lived batches; with that factor they pile up to 500 MB of RSS before a
 * full collection. A fixed factor of 1 + percent/100 (HEAP_GROWTH_PERCENT, 20 by default) collects them far sooner,
 * for a whole benchmark run at 100,000 keys within 300 MB.
 *
 * A fixed factor is also what a small heap pays for on every read: 20 % of a 40 MB heap is 8 MB, and warm reads
 * promote that much in under a second (Node's own request objects, in the bare node:http server too), so the
 * heap was marked about once a second. So the factor follows the heap: after each full collection it is set to
 * let the old generation grow by `headroomMb` (HEAP_HEADROOM_MB, 20 by default), never less than `minPercent` nor
 * more than MAX_PERCENT. A small heap gets 50–100 % and few full collections; a heap of 100 MB and more, a sync's
 * or a large deployment's, keeps `minPercent` — its memory is what the 300 MB budget is about.
 *
 * V8 reads the flag at each full collection, so a value set after one applies to the limit of the next. An
 * operator's own `--heap-growing-percent` (node's command line or NODE_OPTIONS) wins; `minPercent` 0 leaves V8's
 * policy.
 */
export interface HeapPolicy {
  /** HEAP_GROWTH_PERCENT: the factor's floor (and the whole policy with a headroom of 0). */
  minPercent: number;
  /** HEAP_HEADROOM_MB: how much the old generation may grow past its live bytes when that is more than the floor. */
  headroomMb: number;
}

/** V8's own factor tops out at 4× on a large host; the adaptive one stops at 2× (a heap of 20 MB or less). */
export const MAX_PERCENT = 100;

/** The factor that lets `liveBytes` grow by `headroomMb`, within [minPercent, MAX_PERCENT]. */
export function growthPercent(liveBytes: number, { minPercent, headroomMb }: HeapPolicy): number {
  if (headroomMb <= 0 || liveBytes <= 0) return minPercent;
  const percent = Math.ceil((headroomMb * 2 ** 20 * 100) / liveBytes);
  return Math.min(Math.max(percent, minPercent), Math.max(MAX_PERCENT, minPercent));
}

/** The old generation's bytes in use: every space but the young generation's (its objects are not V8's limit). */
export function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (!space.space_name.startsWith('new_')) bytes += space.space_used_size;
  }
  return bytes;
}

export interface RunningPolicy {
  /** The percent last set. */
  readonly percent: number;
}

/**
 * Applies the policy: the floor at once, then after each full collection the factor for what it left alive.
 * Undefined when the policy is off (`minPercent` 0) or the operator set the flag (node's command line, NODE_OPTIONS).
 */
export function startHeapPolicy(policy: HeapPolicy, flags: readonly string[] = nodeFlags()): RunningPolicy | undefined {
  if (policy.minPercent <= 0 || operatorSet(flags, 'heap-growing-percent')) return undefined;
  let percent = 0;
  const set = (p: number) => {
    if (p !== percent) setFlagsFromString(`--heap-growing-percent=${p}`);
    percent = p;
  };
  set(policy.minPercent);
  // One entry per collection, delivered in batches after them: scavenges too (a few dozen a second under load,
  // one comparison each); only a full one changes what is alive in the old generation.
  const observer = new PerformanceObserver((list) => {
    const major = list
      .getEntries()
      .some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (major) set(growthPercent(oldGenerationBytes(), policy));
  });
  if (policy.headroomMb > 0) observer.observe({ entryTypes: ['gc'] });
  return {
    get percent() {
      return percent;
    },
  };
}

/** True when the operator gave V8's flag `name` themselves (`--name`, `--name=…` or `--no-name`): theirs wins. */
function operatorSet(flags: readonly string[], name: string): boolean {
  return flags.some((a) => a.startsWith(`--${name}`) || a.startsWith(`--no-${name}`));
}

/** Node's own flags: its command line and NODE_OPTIONS, which `process.execArgv` leaves out. */
export function nodeFlags(env: NodeJS.ProcessEnv = process.env, execArgv = process.execArgv): string[] {
  return [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
}

/**
 * Switches off V8's allocation-site pretenuring (docs/decisions/044) unless `pretenuring` (HEAP_PRETENURING) or an
 * operator's own `--[no-]allocation-site-pretenuring`. V8 watches where objects are allocated and, when most of a
 * site's objects survived a young collection, allocates that site's objects in the old generation from then on.
 * A process that loads a thousand cache entries at once teaches V8 exactly that about sites the warm reads share
 * afterwards; their garbage then fills the old generation and costs a full collection every second — in some
 * processes and not others, whichever sites the start happened to mark. True when this call switched it off.
 */
export function applyPretenuring(pretenuring: boolean, flags: readonly string[] = nodeFlags()): boolean {
  if (pretenuring || operatorSet(flags, 'allocation-site-pretenuring')) return false;
  setFlagsFromString('--no-allocation-site-pretenuring');
  return true;
}
