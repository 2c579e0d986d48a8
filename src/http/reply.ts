import type { FastifyReply } from 'fastify';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Sends a body that is already JSON (a cache hit): no serialiser, no schema walk. The route's response schema
 * still documents the shape; the domain built the string from that same typed value.
 */
export function sendJson(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return (reply as FastifyReply).code(status).type(JSON_TYPE).send(body);
}

/**
 * For handlers that are not async: a body the domain had in memory is sent at once (no promise for Fastify
 * to wait on); one that is still loading is sent when it arrives, and its error goes to the error handler.
 */
export function sendAnswer(reply: FastifyReply, body: string | Promise<string>): undefined | Promise<void> {
  if (typeof body !== 'string') {
    return body.then((b) => {
      sendJson(reply, b);
    });
  }
  sendJson(reply, body);
  return undefined;
}
