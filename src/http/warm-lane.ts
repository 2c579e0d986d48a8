import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyContextConfig } from 'fastify';
import type { AuthContext, SessionResolver } from '../domain/accounts/types.js';
import { refusal, tokenFrom } from './plugins/auth.js';
import type { ObserveAnswer } from './plugins/observability.js';

/** JSON as text, or already encoded to UTF-8 (a warm answer). */
export type JsonBody = string | Buffer;

/** What a lane route's answer reads of its request: the caller and the validated querystring. */
export interface LaneRequest {
  auth: AuthContext;
  query: unknown;
}

export type LaneAnswer = (req: LaneRequest) => JsonBody | Promise<JsonBody>;

interface LaneRoute {
  /** The route's template, which is also its one path (no parameters): the metric's and the log's `route`. */
  path: string;
  config: Pick<FastifyContextConfig, 'tokenScope' | 'beforeMfa'>;
  answer: LaneAnswer;
  /** Querystrings as sent (after `?`) that Fastify's validation accepted here, and the value it made of each. */
  queries: Map<string, unknown>;
}

export interface LaneOptions {
  sessions: SessionResolver;
  sessionCookie: string;
  /** The headers of every /api answer (observability.ts `responseHeaders(…).api`). */
  headers: Readonly<Record<string, string>>;
  /** Answers at least this long go through Fastify, which compresses them (plugins/compression.ts). */
  compressMinBytes: number | null;
  requestId: (req: IncomingMessage) => string;
  observe: ObserveAnswer;
  /** A failure after the answer started (it cannot become an error answer any more). */
  failed: (err: unknown) => void;
}

/** Past this many remembered querystrings a route forgets them all and learns again (bounded memory). */
const QUERIES_MAX = 2_000;
/** Longer querystrings are left to Fastify: the memory a route's memory can hold stays small. */
const QUERY_MAX_CHARS = 1_024;
/** The content type of every pre-serialised answer, the lane's and route.ts `getJson`'s. */
export const JSON_TYPE = 'application/json; charset=utf-8';
/** The answer an Fastify handler takes over from the lane (`take`), set on the raw request. */
const PARKED = Symbol('warm-lane answer');
type Parked = IncomingMessage & { [PARKED]?: JsonBody | Promise<JsonBody> };

/**
 * The warm lane (docs/decisions/045): a GET that Fastify would answer from memory with 200 — a signed-in caller whose
 * session is in memory, on a parameterless `getJson` route, with a querystring Fastify has validated before, whose
 * answer is in memory and too small to compress — is answered straight from node:http, with the same headers, body,
 * metric and access-log line, and without Fastify's request and reply objects, hooks and router. Anything else is
 * left to Fastify untouched: the lane only ever answers what Fastify would answer identically, and never an error.
 * Routes join it from src/http/route.ts; tests/integration/warm-lane.test.ts holds the two paths to the same bytes.
 */
export class WarmLane {
  readonly #routes = new Map<string, LaneRoute>();
  readonly #head: string[];
  #closing = false;
  /** Requests the lane answered (the rest went to Fastify): for tests and the bench's notes. */
  served = 0;

  constructor(private readonly o: LaneOptions) {
    this.#head = [...Object.entries(o.headers).flat(), 'content-type', JSON_TYPE];
  }

  /**
   * A parameterless GET route open to signed-in users joins the lane. Answers the route's learner: Fastify validated
   * a request's querystring as `query`, so the lane may take the same querystring from now on.
   */
  add(path: string, config: LaneRoute['config'], answer: LaneAnswer): (url: string, query: unknown) => void {
    const route: LaneRoute = { path, config, answer, queries: new Map() };
    this.#routes.set(path, route);
    return (url, query) => {
      const q = url.indexOf('?');
      const raw = q < 0 ? '' : url.slice(q + 1);
      if (raw.length > QUERY_MAX_CHARS || route.queries.has(raw)) return;
      if (route.queries.size >= QUERIES_MAX) route.queries.clear();
      route.queries.set(raw, query);
    };
  }

  /** The paths the lane may answer. */
  get paths(): string[] {
    return [...this.#routes.keys()];
  }

  /** From the start of the app's close on, every request goes to Fastify (which answers 503 while it drains). */
  close(): void {
    this.#closing = true;
  }

  /**
   * Answers the request and returns true, or leaves it (false) to Fastify. Whatever throws before the answer starts
   * (a second session cookie, a domain error) leaves the request to Fastify, which meets it again and answers it as
   * an error; nothing thrown here reaches the server's listener.
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    try {
      return this.#serve(req, res);
    } catch (err) {
      if (!res.headersSent) return false;
      this.o.failed(err);
      return true;
    }
  }

  #serve(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || this.#closing) return false;
    const start = performance.now();
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const route = this.#routes.get(q < 0 ? url : url.slice(0, q));
    if (route === undefined) return false;
    const query = route.queries.get(q < 0 ? '' : url.slice(q + 1));
    // A GET with a body is Fastify's to deal with.
    const { headers } = req;
    if (query === undefined || headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) {
      return false;
    }
    const found = tokenFrom(headers, this.o.sessionCookie);
    const auth = found && this.o.sessions.resolveCached(found.token);
    // Not in memory, or refused: Fastify finds the session (or not) and answers the refusal.
    if (!found || !auth || refusal(auth, found.via, route.config, this.o.sessions)) return false;
    const body = route.answer({ auth, query });
    const min = this.o.compressMinBytes;
    if (!Buffer.isBuffer(body) || (min !== null && body.length >= min)) {
      // Loading (or to be compressed): Fastify answers, with this answer rather than a second one.
      if (typeof body !== 'string' && !Buffer.isBuffer(body)) body.catch(() => {});
      (req as Parked)[PARKED] = body;
      return false;
    }
    const id = this.o.requestId(req);
    res.writeHead(200, [...this.#head, 'x-request-id', id, 'content-length', String(body.length)]);
    res.end(body);
    this.o.observe(id, 'GET', route.path, 200, performance.now() - start);
    this.served++;
    return true;
  }
}

/** The answer the lane began for this request, if any (once). */
export function takeParked(req: IncomingMessage): JsonBody | Promise<JsonBody> | undefined {
  const parked = (req as Parked)[PARKED];
  if (parked !== undefined) (req as Parked)[PARKED] = undefined;
  return parked;
}
