import type { Deps } from '../../deps.js';
import { deliveryLog, type LogRow } from '../../infra/db/repos/notify-log.js';
import type { DeliveryState } from '../../infra/db/repos/notify-outbox.js';
import type { Language } from '../../infra/notify/types.js';
import { DIGEST_KIND, publicUrlOf } from './compose.js';
import { readDefaults } from './defaults.js';
import { CATALOGUES, DIGEST_TYPE, EVENT_TYPES, type EventKind, renderEvent } from './messages/index.js';
import { fromPayload } from './payload.js';
import { crsTimeZone } from './rules.js';
import { LANGUAGES } from './types.js';

export interface LogEntry {
  id: number;
  eventId: string;
  /** The public event type (docs/webhooks.md §3), `digest` for a digest. */
  type: string;
  /** The message's subject in the recipient's language. */
  subject: string;
  channel: { id: string | null; type: string; label: string };
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  /** The admin's view names the recipient. */
  recipient?: string;
}

export interface LogPage {
  items: LogEntry[];
  page: number;
  pageSize: number;
  total: number;
}

const isKind = (k: string): k is EventKind => k in EVENT_TYPES;

/** The delivery log: a user reads their own, the admin everyone's (docs/decisions/030). */
export function createDeliveryLog(deps: Pick<Deps, 'database' | 'config'>) {
  const publicUrl = publicUrlOf(deps.config);
  const timeZone = crsTimeZone(deps.config.crs.timezoneOffset);

  function entry(r: LogRow, language: Language, withRecipient: boolean): LogEntry {
    const digest = r.kind === DIGEST_KIND;
    const items = Array.isArray(r.payload.items) ? r.payload.items.length : 0;
    const subject = digest
      ? CATALOGUES[language].digest.subject(items)
      : isKind(r.kind)
        ? renderEvent(fromPayload(r.payload), { language, publicUrl, timeZone }).subject
        : r.kind;
    const waiting = r.state === 'pending' || r.state === 'held' || r.state === 'sending';
    return {
      id: r.id,
      eventId: r.eventId,
      type: digest ? DIGEST_TYPE : isKind(r.kind) ? EVENT_TYPES[r.kind] : r.kind,
      subject,
      channel: { id: r.channelId, type: r.channelType, label: r.channelLabel },
      state: r.state,
      attempts: r.attempts,
      lastError: r.lastError,
      createdAt: r.createdAt.toISOString(),
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
      nextAttemptAt: waiting ? r.nextAttemptAt.toISOString() : null,
      ...(withRecipient ? { recipient: r.email } : {}),
    };
  }

  async function page(q: { userId?: string; state?: DeliveryState; page: number; pageSize: number }, admin: boolean) {
    const [{ rows, total }, defaults] = await Promise.all([
      deliveryLog(deps.database.db, q),
      readDefaults(deps.database.db),
    ]);
    const lang = (r: LogRow) => LANGUAGES.find((l) => l === r.language) ?? defaults.language;
    return { items: rows.map((r) => entry(r, lang(r), admin)), page: q.page, pageSize: q.pageSize, total };
  }

  return {
    own: (userId: string, q: { state?: DeliveryState; page: number; pageSize: number }): Promise<LogPage> =>
      page({ ...q, userId }, false),
    all: (q: { userId?: string; state?: DeliveryState; page: number; pageSize: number }): Promise<LogPage> =>
      page(q, true),
  };
}
