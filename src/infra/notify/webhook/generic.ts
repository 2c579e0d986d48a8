import type { OutboundMessage } from '../types.js';
import { plainChat } from './chat-markup.js';
import { USER_AGENT } from './platforms/format.js';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, sign } from './signature.js';

/**
 * The generic webhook's body (docs/webhooks.md): the event's id, type, time and data, the language it was
 * rendered in, and a text rendering for receivers that only forward text. The id is stable across retries;
 * the signature's timestamp is the time of sending, so each attempt is signed afresh.
 */
export function genericBody(message: OutboundMessage): string {
  return JSON.stringify({
    id: message.id,
    type: message.type,
    time: message.time.toISOString(),
    language: message.language,
    subject: message.subject,
    text: plainChat(message.chat),
    data: message.data,
  });
}

export function genericHeaders(message: OutboundMessage, secret: string, body: string, now: Date) {
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': USER_AGENT,
    [EVENT_ID_HEADER]: message.id,
    [EVENT_TYPE_HEADER]: message.type,
    [SIGNATURE_HEADER]: sign(secret, body, Math.floor(now.getTime() / 1000)),
  };
}
