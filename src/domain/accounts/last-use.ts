/** A session's or token's last use is informative (the lists show it): one write a minute per credential is plenty. */
export const LAST_USE_EVERY_MS = 60_000;
const MAX_TRACKED = 20_000;

/**
 * Records uses of a credential at most once per `LAST_USE_EVERY_MS` per process, off the request path: `write`
 * is never awaited, its failure is handed to `failed` and forgotten (the repository's update also skips recent
 * rows, so several instances write about once a minute together). The map is bounded.
 */
export function lastUseRecorder(write: (id: string, now: Date) => Promise<void>, failed: (err: Error) => void) {
  const touched = new Map<string, number>();
  return {
    touch(id: string, now: Date): void {
      const at = now.getTime();
      const last = touched.get(id);
      if (last !== undefined && at - last < LAST_USE_EVERY_MS) return;
      if (touched.size >= MAX_TRACKED) {
        for (const [k, t] of touched) if (at - t >= LAST_USE_EVERY_MS) touched.delete(k);
        if (touched.size >= MAX_TRACKED) touched.clear();
      }
      touched.set(id, at);
      write(id, now).catch(failed);
    },
    forget(id: string): void {
      touched.delete(id);
    },
  };
}
