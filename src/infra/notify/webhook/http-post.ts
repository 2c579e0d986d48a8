import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PostRequest {
  url: URL;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The SSRF guard's pinned lookup for user-given URLs; absent for the operator's platform base URLs. */
  lookup?: LookupFunction;
}

export type PostOutcome =
  | { kind: 'response'; status: number; headers: http.IncomingHttpHeaders; body: string }
  | { kind: 'network'; code: string; message: string }
  /** The request could not even be made (a URL Node refuses): the same request never will be. */
  | { kind: 'invalid'; message: string };

/** Enough of an answer to read a platform's error code; a receiver that sends more is cut off there. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST, no retry (the outbox owns retries), no redirect followed (a 3xx is answered as it is: following it
 * would send the body and its signature to a host the guard never checked), a deadline for the whole exchange,
 * and a fresh connection each time, so a pinned address is never reused for another host by a shared agent.
 */
export function post(req: PostRequest): Promise<PostOutcome> {
  const client = req.url.protocol === 'https:' ? https : http;
  if (req.url.protocol !== 'https:' && req.url.protocol !== 'http:') {
    return Promise.resolve({ kind: 'invalid', message: `unsupported protocol ${req.url.protocol}` });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (o: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(o);
    };
    const request = client.request(
      req.url,
      {
        method: 'POST',
        agent: false,
        lookup: req.lookup,
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_ANSWER_BYTES) chunks.push(c);
          size += c.length;
          if (size >= MAX_ANSWER_BYTES) res.destroy();
        });
        const done = () =>
          finish({
            kind: 'response',
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'),
          });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const deadline = setTimeout(() => {
      finish({ kind: 'network', code: 'ETIMEDOUT', message: `no answer within ${req.timeoutMs} ms` });
      request.destroy();
    }, req.timeoutMs);
    request.on('error', (e: NodeJS.ErrnoException) =>
      finish({ kind: 'network', code: e.code ?? 'ERROR', message: e.message }),
    );
    request.end(req.body);
  });
}
