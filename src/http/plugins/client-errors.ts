import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { errorJson } from './errors.js';

/**
 * Node's HTTP parser refuses some requests before Fastify sees them (headers over the size limit, malformed
 * requests, a body that never arrives): the `clientErrorHandler` option. The answer is written to the socket in the
 * docs/api.md envelope with a request id and the security headers, like every other answer.
 */
export function clientErrorHandler(headers: Readonly<Record<string, string>>) {
  return function onClientError(this: FastifyInstance, err: Error & { code?: string }, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const e =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? new AppError('headers_too_large', 'Request headers are too large (cookies included)')
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new AppError('request_timeout', 'The request did not arrive in time')
          : new AppError('bad_request', 'Malformed HTTP request');
    const id = randomUUID();
    const body = errorJson(e, id);
    this.log.debug({ reqId: id, code: err.code }, 'client error');
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const lines = [
      `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      `x-request-id: ${id}`,
      'connection: close',
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  };
}
