import type { FastifyReply, FastifyRequest } from 'fastify';

/** Past this much unread body (or this long) the 413 goes out anyway and the connection is closed. */
const DRAIN_LIMIT = 16 * 2 ** 20;
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Reads and discards the rest of a refused request body. Answering while the client is still sending, then
 * closing (as Fastify does for a 413), makes common clients fail on a broken pipe before they read the answer.
 */
export function drainBody(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const raw = req.raw;
  if (raw.readableEnded || raw.destroyed || Number(req.headers['content-length']) > DRAIN_LIMIT) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', done).off('error', done).off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_LIMIT) {
        raw.pause();
        done();
      }
    };
    const timer = setTimeout(done, DRAIN_TIMEOUT_MS);
    timer.unref();
    raw.on('data', onData).once('end', done).once('error', done).once('close', done);
    raw.resume();
  });
}
