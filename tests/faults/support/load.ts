import { call } from './http.js';

/**
 * Bounded loopback load: a few concurrent loops of GETs against the portal instances, counting every answer by
 * status. Small on purpose (the machine has two cores shared with the processes under test); it stops on
 * `stop()` or after `maxMs`, whichever comes first.
 */
export interface LoadTarget {
  baseUrl: string;
  token: string;
  paths: string[];
}

export interface LoadResult {
  total: number;
  /** Count per status code, or `timeout` / `error` for a request that got no answer. */
  byStatus: Record<string, number>;
  /** The first few answers that were not 2xx, to say what went wrong. */
  samples: string[];
  /** Codes of the error envelopes seen (docs/api.md: `{error: {code, message, requestId}}`). */
  errorCodes: Record<string, number>;
}

export function startLoad(
  targets: LoadTarget[],
  { concurrency = 4, timeoutMs = 5000, maxMs = 60_000 } = {},
): { stop(): Promise<LoadResult> } {
  const result: LoadResult = { total: 0, byStatus: {}, samples: [], errorCodes: {} };
  let running = true;
  const deadline = setTimeout(() => {
    running = false;
  }, maxMs);
  let turn = 0;
  const worker = async () => {
    while (running) {
      const target = targets[turn % targets.length];
      const path = target.paths[Math.floor(turn / targets.length) % target.paths.length];
      turn++;
      const a = await call(target.baseUrl, path, { token: target.token, timeoutMs });
      result.total++;
      result.byStatus[a.status] = (result.byStatus[a.status] ?? 0) + 1;
      if (typeof a.status !== 'number' || a.status >= 300) {
        const code = a.json?.error?.code;
        if (code) result.errorCodes[code] = (result.errorCodes[code] ?? 0) + 1;
        if (result.samples.length < 5) {
          result.samples.push(`${target.baseUrl}${path} → ${a.status} ${a.error ?? a.text.slice(0, 200)}`);
        }
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    async stop() {
      running = false;
      clearTimeout(deadline);
      await Promise.all(workers);
      return result;
    },
  };
}

/** Runs load for `ms` while `during` runs, and returns both outcomes. */
export async function underLoad<T>(
  targets: LoadTarget[],
  during: () => Promise<T>,
  opts?: Parameters<typeof startLoad>[1],
): Promise<{ load: LoadResult; value: T }> {
  const load = startLoad(targets, opts);
  try {
    const value = await during();
    return { load: await load.stop(), value };
  } catch (e) {
    await load.stop();
    throw e;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
