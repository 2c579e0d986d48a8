import type { FastifyReply } from 'fastify';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Sends a body that is already JSON (a cache hit): no serialiser, no schema walk. The route's response schema
 * still documents the shape; the domain built the string from that same typed value.
 */
export function sendJson(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return (reply as FastifyReply).code(status).type(JSON_TYPE).send(body);
}
