import http from 'node:http';
import type { Socket } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import type { Env, Reply, Req } from './context.js';
import { delayFor, type LatencyMode } from './latency.js';
import type { Router } from './router.js';

export interface Faults {
  /** Destroy every connection and request immediately (CRS down). */
  down: boolean;
  /** Added to every response. */
  extraDelayMs: number;
  /** Answer every /admin and /web call with this status. */
  status?: number;
  /** For this route label (e.g. "GET /admin/api-keys-usage-trend"): send half the body, then drop the connection. */
  cutBodyOf?: string;
  /**
   * A hung CRS (docs/crs.md, quirk 17): requests are accepted and held unanswered; on resume they are processed —
   * writes applied — even when the client gave up meanwhile. Set through Emulator.pause() / resume().
   */
  paused?: boolean;
}

const BODY_LIMIT = 100 * 1024 * 1024;

/**
 * node:http front: parse, count, route, authenticate, then answer after the latency model's delay (a timer, no
 * CPU). Responses are computed first and sent later, like a slow CRS whose work finished but the bytes lag.
 */
export function createHttpServer(
  env: Env,
  router: Router,
  opts: { latency: LatencyMode; faults: Faults; counts: Map<string, number>; inFlight: Map<string, InFlight> },
) {
  let tick = 0;
  const sockets = new Set<Socket>();
  const held: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    if (opts.faults.down) {
      req.socket.destroy();
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    const match = router.match(method, path);
    const label = match ? match.label : 'unmatched';
    opts.counts.set(label, (opts.counts.get(label) ?? 0) + 1);
    track(opts.inFlight, label, res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= BODY_LIMIT) chunks.push(c);
    });
    req.on('end', () => {
      if (opts.faults.paused) held.push(answer);
      else answer();
    });
    function answer() {
      if (size > BODY_LIMIT) return reply({ status: 413, body: { error: 'Payload Too Large' } });
      if (opts.faults.status && (path.startsWith('/admin') || path.startsWith('/web'))) {
        return reply({
          status: opts.faults.status,
          body: { error: 'Injected fault', message: `status ${opts.faults.status}` },
        });
      }
      const r: Req = {
        method,
        path,
        url,
        query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
        params: match?.params ?? {},
        headers: req.headers,
        body: undefined,
      };
      const out = handle(env, r, chunks, size, match);
      if (out instanceof Promise) out.then(reply);
      else reply(out);
    }
    function reply(answer: Reply) {
      const ms =
        delayFor(
          opts.latency,
          label,
          { keys: env.store.keyCount(), used: env.store.usage.keys.size, ...answer.cost },
          tick++,
        ) + opts.faults.extraDelayMs;
      const parts = [answer.raw ?? JSON.stringify(answer.body)].flat();
      const send = () => {
        if (res.destroyed) return;
        let length = 0;
        for (const p of parts) length += Buffer.byteLength(p);
        res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': length });
        if (opts.faults.cutBodyOf === label) {
          // A CRS that dies mid-answer: the client has read part of a 200 when the connection goes.
          const payload = parts.join('');
          res.write(payload.slice(0, Math.floor(payload.length / 2)));
          setTimeout(() => res.destroy(), 20);
          return;
        }
        // Each part is written when the socket has taken the one before (Node's back-pressure); a client that
        // went away ends the pipeline, and there is no one left to answer.
        pipeline(Readable.from(parts), res, () => {});
      };
      const schedule = () => (ms > 0 ? setTimeout(send, ms) : send());
      // In Redis mode CRS's writes land before its answer: a client that got the answer can read them there.
      const settled = env.settled?.();
      if (settled) settled.then(schedule, schedule);
      else schedule();
    }
  });
  server.on('connection', (s: Socket) => {
    if (opts.faults.down) {
      s.destroy();
      return;
    }
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 5000;
  /** Processes the held requests in arrival order (their clients may be long gone: the writes happen anyway). */
  const release = () => {
    for (const answer of held.splice(0)) answer();
  };
  return { server, sockets, release };
}

/** Requests of one route being served at once, and the most seen: how a client's concurrency shows (tests). */
export interface InFlight {
  now: number;
  peak: number;
}

function track(inFlight: Map<string, InFlight>, label: string, res: http.ServerResponse): void {
  let f = inFlight.get(label);
  if (!f) {
    f = { now: 0, peak: 0 };
    inFlight.set(label, f);
  }
  const entry = f;
  entry.now++;
  entry.peak = Math.max(entry.peak, entry.now);
  res.once('close', () => entry.now--);
}

function handle(
  env: Env,
  r: Req,
  chunks: Buffer[],
  size: number,
  match: ReturnType<Router['match']>,
): Reply | Promise<Reply> {
  if (size > 0) {
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      r.body = JSON.parse(text);
    } catch {
      // Express's body parser error, rendered by CRS's generic error handler.
      return {
        status: 400,
        body: {
          error: 'Internal Server Error',
          message: 'Something went wrong',
          requestId: Math.random().toString(36).slice(2, 12),
          timestamp: new Date().toISOString(),
        },
      };
    }
  }
  if (!match) {
    return {
      status: 404,
      body: { error: 'Not Found', message: `Route ${r.url} not found`, timestamp: new Date().toISOString() },
    };
  }
  if (match.route.auth) {
    const a = env.sessions.authenticate(r.headers);
    if ('status' in a) return a;
    r.session = a.session;
    r.token = a.token;
  }
  try {
    const out = match.route.handler(env, r);
    return out instanceof Promise ? out.catch(internalError) : out;
  } catch (err) {
    return internalError(err);
  }
}

function internalError(err: unknown): Reply {
  return { status: 500, body: { error: 'Internal Server Error', message: (err as Error).message } };
}
