import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Compresses large answers (docs/decisions/033). Built for the hot path rather than taken from @fastify/compress:
 * - one callback `onSend` hook and no other (no request-decompression hook, no stream, no promise): an answer under
 *   the threshold — every warm cached read — leaves after one length comparison;
 * - an answer above it is compressed synchronously (brotli quality 3 or gzip level 6 take well under a millisecond
 *   for the few tens of KB a year of usage or a long export weighs; a stream would cost promises and ticks);
 * - never an answer declared `secret` (src/http/route.ts), whatever its size: BREACH;
 * - streams (the web app's files, precompressed at build and served by plugins/web.ts) are left to their sender.
 */
export function registerCompression(app: FastifyInstance, minBytes: number | null): void {
  if (minBytes === null) return;
  app.addHook('onSend', (req, reply, payload, done) => {
    // A string's length counts UTF-16 units, never more than its UTF-8 bytes: a cheap lower bound is enough here.
    if (typeof payload === 'string' ? payload.length < minBytes : !isLargeBuffer(payload, minBytes)) {
      done(null, payload);
      return;
    }
    done(null, compress(req, reply, payload as string | Buffer));
  });
}

function isLargeBuffer(payload: unknown, minBytes: number): boolean {
  return Buffer.isBuffer(payload) && payload.length >= minBytes;
}

const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 3, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
};
const GZIP = { level: 6 };
/** JSON, CSV, Prometheus text, the OpenAPI document: text worth compressing; images and archives are not. */
const COMPRESSIBLE = /^(?:application\/(?:json|javascript|xml)|text\/|image\/svg\+xml)/;

function compress(req: FastifyRequest, reply: FastifyReply, payload: string | Buffer): string | Buffer {
  if (req.routeOptions.config.secret) return payload;
  const type = reply.getHeader('content-type');
  if (typeof type !== 'string' || !COMPRESSIBLE.test(type) || reply.hasHeader('content-encoding')) return payload;
  // The answer's form now depends on Accept-Encoding, whether or not this client gets it compressed.
  reply.header('vary', 'accept-encoding');
  const encoding = pickEncoding(req.headers['accept-encoding']);
  if (!encoding) return payload;
  reply.header('content-encoding', encoding);
  return encoding === 'br' ? brotliCompressSync(payload, BROTLI) : gzipSync(payload, GZIP);
}

/**
 * brotli when offered, else gzip. A coding listed with `q=0` is refused by the client (RFC 9110 §12.5.3);
 * other weights are not ranked: every browser that offers br prefers it.
 */
export function pickEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  let br = false;
  let gzip = false;
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim());
    const refused = params.some((p) => /^q=0(?:\.0{0,3})?$/.test(p));
    if (refused) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === 'x-gzip' || name === '*') gzip = true;
  }
  return br ? 'br' : gzip ? 'gzip' : undefined;
}
