import http from 'node:http';

/** A small keep-alive HTTP client for the harness's own calls (setup, scrapes, timed single requests). */
export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  /** Wall time from sending to the last byte, in ms. */
  ms: number;
}

export function request(
  url: string,
  opts: { method?: string; token?: string; body?: unknown; agent?: http.Agent; timeoutMs?: number } = {},
): Promise<Answer> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: http.OutgoingHttpHeaders = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(url, { method: opts.method ?? 'GET', headers, agent: opts.agent ?? agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: res.headers,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        }),
      );
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 600_000, () => req.destroy(new Error(`timeout: ${opts.method ?? 'GET'} ${url}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** JSON call that must answer `expect` (default 2xx); throws with the body otherwise. */
export async function json<T = unknown>(
  url: string,
  opts: Parameters<typeof request>[1] & { expect?: number } = {},
): Promise<T> {
  const a = await request(url, opts);
  const ok = opts.expect !== undefined ? a.status === opts.expect : a.status >= 200 && a.status < 300;
  if (!ok) throw new Error(`${opts.method ?? 'GET'} ${url} → ${a.status}: ${a.body.slice(0, 300)}`);
  return (a.body ? JSON.parse(a.body) : undefined) as T;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Median and p99 of timings in ms (any order), rounded, with their count: how the bench reports a set of samples. */
export function latencies(ms: number[]): { p50Ms: number; p99Ms: number; samples: number } {
  const sorted = ms.slice().sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), samples: sorted.length };
}
