import type { Metrics } from '../metrics/metrics.js';
import { CrsInvalidResponse, CrsTransportError } from './failures.js';

/**
 * One HTTP exchange with CRS, nothing more: URL from a route template, JSON in and out, the per-call timeout,
 * and the metrics. Retries, the session and the breaker live above it (request.ts).
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CrsRequest {
  method: HttpMethod;
  /** Route template, e.g. `/admin/api-keys/:id`: it is also the metrics label, so never put an id in it. */
  route: string;
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Defaults to the client's timeoutMs. */
  timeoutMs?: number;
  /** No admin token (login, /health). */
  anonymous?: boolean;
  /** A GET that must not be retried (health checks report the state as it is). */
  noRetry?: boolean;
  /** A POST that only reads (CRS's per-key stats): retried like a GET. */
  retryable?: boolean;
  /**
   * Read a 2xx body as it arrives instead of whole: a new reader per attempt gets the text chunk by chunk, and
   * what its `end()` returns becomes the response body. For the sync's bulk answers (hot-parse.ts).
   */
  read?: () => BodyReader<unknown>;
}

export interface BodyReader<T> {
  /** A promise makes the transport wait before reading on (backpressure). */
  write(text: string): void | Promise<void>;
  end(): T;
}

/**
 * An error thrown by a body reader's consumer (e.g. the database write fed by the sync's trend): not a CRS
 * failure, so it is neither retried nor counted by the breaker; the requester rethrows the cause.
 */
export class ReaderFailure extends Error {
  constructor(readonly original: unknown) {
    super('a CRS body reader failed', { cause: original });
  }
}

export interface CrsResponse {
  status: number;
  /** Parsed JSON; undefined when the body was empty or not JSON (`json` false). */
  body: unknown;
  json: boolean;
}

export const endpointOf = (req: Pick<CrsRequest, 'method' | 'route'>) => `${req.method} ${req.route}`;

export interface Transport {
  send(req: CrsRequest, token: string | undefined, timeoutMs: number): Promise<CrsResponse>;
  /** Records an attempt that never left the process (circuit open). */
  recordRejected(req: CrsRequest): void;
}

export function createTransport(baseUrl: string, metrics: Metrics): Transport {
  const base = baseUrl.replace(/\/+$/, '');

  return {
    recordRejected(req) {
      metrics.crsRequests.inc({ endpoint: endpointOf(req), status: 'open' });
    },
    async send(req, token, timeoutMs) {
      const endpoint = endpointOf(req);
      const signal = AbortSignal.timeout(timeoutMs);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      const started = performance.now();
      let status = 'error';
      try {
        const res = await fetch(buildUrl(base, req), {
          method: req.method,
          headers,
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal,
        });
        // The body is read under the same signal, so a CRS that stalls mid-body also times out.
        if (req.read && res.ok && res.body) {
          const body = await readStreamed(res.body, req.read());
          status = String(res.status);
          return { status: res.status, body, json: true };
        }
        const text = await res.text();
        status = String(res.status);
        return parseBody(res.status, text);
      } catch (e) {
        if (e instanceof ReaderFailure || e instanceof CrsInvalidResponse) throw e;
        const timedOut = signal.aborted;
        status = timedOut ? 'timeout' : 'error';
        throw new CrsTransportError(timedOut ? 'timeout' : 'unreachable', endpoint, timeoutMs, { cause: e });
      } finally {
        metrics.crsRequests.inc({ endpoint, status });
        metrics.crsDuration.observe({ endpoint }, (performance.now() - started) / 1000);
      }
    },
  };
}

async function readStreamed(body: AsyncIterable<Uint8Array>, reader: BodyReader<unknown>): Promise<unknown> {
  const decoder = new TextDecoder();
  const step = async (f: () => unknown) => {
    try {
      await f();
    } catch (e) {
      throw e instanceof CrsInvalidResponse ? e : new ReaderFailure(e);
    }
  };
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    await step(() => reader.write(text));
  }
  let result: unknown;
  await step(async () => {
    await reader.write(decoder.decode());
    result = await reader.end();
  });
  return result;
}

function parseBody(status: number, text: string): CrsResponse {
  if (text.length === 0) return { status, body: undefined, json: false };
  try {
    return { status, body: JSON.parse(text), json: true };
  } catch {
    return { status, body: undefined, json: false };
  }
}

export function buildUrl(base: string, req: Pick<CrsRequest, 'route' | 'params' | 'query'>): string {
  const path = req.route.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = req.params?.[name];
    if (value === undefined || value === '') throw new Error(`CRS route ${req.route}: missing parameter ${name}`);
    return encodeURIComponent(value);
  });
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v !== undefined && v !== '') qs.set(k, String(v));
  }
  const q = qs.toString();
  return `${base}${path}${q ? `?${q}` : ''}`;
}
