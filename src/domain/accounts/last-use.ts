/** A session's or token's last use is informative (the lists show it): one write a minute per credential is plenty. */
export const LAST_USE_EVERY_MS = 60_000;
const MAX_TRACKED = 20_000;
/**
 * Uses recorded within this long are written together, in one statement. Credentials come due together (a
 * thousand sessions first used within a second are due again within a second a minute later): one UPDATE for
 * them all rather than a thousand, each a query to build, send and run while the hot reads wait for the CPU.
 */
export const LAST_USE_GATHER_MS = 200;
/** At most this many ids per statement. */
const MAX_PER_WRITE = 1_000;

/**
 * Records uses of a credential at most once per `LAST_USE_EVERY_MS` per process, off the request path: the uses
 * due are gathered for `LAST_USE_GATHER_MS` and written at once; `write` is never awaited by a request, its
 * failure is handed to `failed` and forgotten (the repository's update also skips recent rows, so several
 * instances write about once a minute together). The map and the batch are bounded.
 */
export function lastUseRecorder(write: (ids: string[], now: Date) => Promise<void>, failed: (err: Error) => void) {
  const touched = new Map<string, number>();
  let due: string[] = [];
  let dueAt = new Date(0);
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const ids = due;
    due = [];
    if (ids.length) write(ids, dueAt).catch(failed);
  };

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
      due.push(id);
      // The batch's latest use: every id in it was used within the gathering window before.
      dueAt = now;
      if (due.length >= MAX_PER_WRITE) flush();
      else if (!timer) {
        timer = setTimeout(flush, LAST_USE_GATHER_MS);
        // A pending batch of last-use times never keeps the process alive.
        timer.unref();
      }
    },
    forget(id: string): void {
      touched.delete(id);
    },
  };
}
