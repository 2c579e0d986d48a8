import type { Deps } from '../../deps.js';
import type { Db } from '../../infra/db/client.js';
import { eventsByIds } from '../../infra/db/repos/notify-claims.js';
import type { Channel, Language, OutboundMessage } from '../../infra/notify/types.js';
import { composeDigest, composeMessage, type RenderContext } from './messages/index.js';
import { fromPayload } from './payload.js';
import { crsTimeZone } from './rules.js';
import type { UnsubscribeTokens } from './unsubscribe-token.js';

/**
 * A delivery row turned into what `send` takes: the channel (the account e-mail goes to the account's current
 * address) and the message rendered at send time in the recipient's current language, with links from PUBLIC_URL.
 */
export const DIGEST_KIND = 'digest';

export function publicUrlOf(config: Pick<Deps['config'], 'publicUrl' | 'host' | 'port'>): URL {
  if (config.publicUrl) return config.publicUrl;
  // Without PUBLIC_URL the links point at the portal's own address (README asks for PUBLIC_URL with e-mail).
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return new URL(`http://${host.includes(':') ? `[${host}]` : host}:${config.port}`);
}

export const unsubscribePath = (token: string) => `/api/notifications/unsubscribe/${encodeURIComponent(token)}`;

export function channelOf(type: string, target: Record<string, string> | null, email: string): Channel | undefined {
  const t = target ?? {};
  switch (type) {
    case 'email':
      return { type: 'email', to: email };
    case 'webhook':
      return { type: 'webhook', url: t.url ?? '', secret: t.secret ?? '' };
    case 'slack':
    case 'wecom':
      return { type, token: t.token ?? '' };
    case 'feishu':
    case 'lark':
    case 'dingtalk':
      return { type, token: t.token ?? '', ...(t.secret ? { secret: t.secret } : {}) };
    case 'telegram':
      return { type, token: t.token ?? '', chatId: t.chatId ?? '' };
    default:
      return undefined;
  }
}

export interface ComposeInput {
  eventId: string;
  kind: string;
  payload: Record<string, unknown>;
  eventTime: Date;
  language: Language;
  channelId: string | null;
  channelType: string;
}

export function createComposer(deps: Pick<Deps, 'config'>, tokens: UnsubscribeTokens) {
  const publicUrl = publicUrlOf(deps.config);
  const timeZone = crsTimeZone(deps.config.crs.timezoneOffset);

  return async function compose(db: Db, d: ComposeInput): Promise<OutboundMessage> {
    const unsubscribe =
      d.channelType === 'email' && d.channelId
        ? new URL(unsubscribePath(await tokens.tokenFor(d.channelId)), publicUrl).toString()
        : undefined;
    const ctx: RenderContext = {
      language: d.language,
      publicUrl,
      timeZone,
      ...(unsubscribe ? { unsubscribeUrl: unsubscribe } : {}),
    };
    if (d.kind === DIGEST_KIND) {
      const ids = Array.isArray(d.payload.items) ? d.payload.items.map(String) : [];
      const items = (await eventsByIds(db, ids)).map((e) => ({
        id: e.id,
        time: e.createdAt,
        event: fromPayload(e.payload),
      }));
      return composeDigest({ id: d.eventId, time: d.eventTime, items }, ctx);
    }
    return composeMessage({ id: d.eventId, time: d.eventTime, event: fromPayload(d.payload) }, ctx);
  };
}

export type Composer = ReturnType<typeof createComposer>;
