/**
 * A loopback HTTP call to a portal process with a client-side bound: a hung answer comes back as `timeout`
 * instead of hanging the test, so "answers within its bound" is an outcome, not a measured duration.
 */
export interface Answer {
  /** HTTP status, or what happened instead of an answer. */
  status: number | 'timeout' | 'error';
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of several routes, read field by field by the tests.
  json: any;
  text: string;
  /** Wall time, for the report's figures (never asserted). */
  ms: number;
  error?: string;
}

export interface CallOptions {
  method?: string;
  token?: string;
  body?: unknown;
  timeoutMs?: number;
}

export async function call(baseUrl: string, path: string, opts: CallOptions = {}): Promise<Answer> {
  const started = performance.now();
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(baseUrl + path, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, ms: performance.now() - started };
  } catch (e) {
    const err = e as Error;
    const status = err.name === 'TimeoutError' || err.name === 'AbortError' ? 'timeout' : 'error';
    const cause = (err.cause as Error | undefined)?.message;
    return { status, json: undefined, text: '', ms: performance.now() - started, error: cause ?? err.message };
  }
}

/** Polls `probe` until it returns true, or fails after `timeoutMs` saying what was awaited and the last value. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean | { ok: boolean; last: unknown }>,
  { timeoutMs = 30_000, intervalMs = 200 } = {},
): Promise<number> {
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < timeoutMs) {
    const r = await probe();
    const ok = typeof r === 'boolean' ? r : r.ok;
    if (typeof r !== 'boolean') last = r.last;
    if (ok) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last === undefined ? '' : ` (last: ${JSON.stringify(last)})`}`);
}

/** The portal's /metrics, summed per series name over the labels that match `where`. */
export async function metric(baseUrl: string, name: string, where: Record<string, string> = {}): Promise<number> {
  const answer = await call(baseUrl, '/metrics', { timeoutMs: 5000 });
  if (answer.status !== 200) return Number.NaN;
  let total = Number.NaN;
  for (const line of answer.text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    if (!Object.entries(where).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) continue;
    total = (Number.isNaN(total) ? 0 : total) + Number(m[3]);
  }
  return total;
}
