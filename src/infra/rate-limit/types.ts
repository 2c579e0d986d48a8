/**
 * Counters for rate limits that every portal instance shares (docs/decisions/014): a window starts at a key's
 * first hit and ends `windowMs` later; a sliding key's window restarts at every hit, so its count only decays after
 * a quiet window. Times are epoch milliseconds from the caller's clock, so every store agrees with the app's clock.
 */
export interface WindowCount {
  count: number;
  /** When the window ends (0 for a key with no live window). */
  resetAt: number;
  /** The latest hit (0 for none). */
  lastAt: number;
}

export interface Hit {
  key: string;
  windowMs: number;
  sliding?: boolean;
}

export interface CounterStore {
  /** The live counts of these keys, in order; an absent or expired key reads as zero. */
  read(keys: readonly string[], now: number): Promise<WindowCount[]>;
  /** Adds one to each key (distinct keys), in order; answers the counts after the hit. */
  hit(hits: readonly Hit[], now: number): Promise<WindowCount[]>;
  reset(keys: readonly string[]): Promise<void>;
}

export const ZERO: WindowCount = Object.freeze({ count: 0, resetAt: 0, lastAt: 0 });

/** A stored window read at `now`: zero once it has ended. */
export const live = (w: WindowCount | undefined, now: number): WindowCount => (w && w.resetAt > now ? w : ZERO);
